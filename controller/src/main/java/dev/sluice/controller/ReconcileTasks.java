package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource a JOSDK reconcile task is for. JOSDK hands its executor a plain Runnable; the resource
 * sits in the task's ExecutionScope, a package-private JOSDK type in a private field, read here by
 * reflection (ReconcileTasksTest checks it against the JOSDK in use). A task it cannot read is
 * empty: it then runs in arrival order, as with JOSDK's own executor.
 */
final class ReconcileTasks {
  static final String JOSDK_TASK = "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor";
  private static final String SCOPE = "io.javaoperatorsdk.operator.processing.event.ExecutionScope";
  private static final Logger log = LoggerFactory.getLogger(ReconcileTasks.class);

  /** How to read a task class's resource; none when the class is not JOSDK's task as known. */
  private static final ClassValue<Optional<Reader>> READERS = new ClassValue<>() {
    @Override
    protected Optional<Reader> computeValue(Class<?> type) {
      return type.getName().equals(JOSDK_TASK) ? Reader.of(type) : Optional.empty();
    }
  };

  private ReconcileTasks() {}

  static Optional<HasMetadata> resourceOf(Runnable task) {
    return READERS.get(task.getClass()).flatMap(r -> r.read(task));
  }

  /** Whether {@code taskType} (JOSDK's reconcile task) carries a resource this class can read. */
  static boolean readable(Class<?> taskType) {
    return READERS.get(taskType).isPresent();
  }

  private record Reader(Field scope, Method resource) {
    static Optional<Reader> of(Class<?> task) {
      try {
        for (Field field : task.getDeclaredFields()) {
          if (field.getType().getName().equals(SCOPE)) {
            field.setAccessible(true);
            Method getResource = field.getType().getDeclaredMethod("getResource");
            getResource.setAccessible(true);
            return Optional.of(new Reader(field, getResource));
          }
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.warn("cannot read what JOSDK's reconcile tasks are for ({}): reconciles run in arrival order", e.toString());
        return Optional.empty();
      }
      log.warn("JOSDK's reconcile task carries no {}: reconciles run in arrival order", SCOPE);
      return Optional.empty();
    }

    Optional<HasMetadata> read(Runnable task) {
      try {
        Object scope = this.scope.get(task);
        return scope == null ? Optional.empty() : Optional.ofNullable((HasMetadata) resource.invoke(scope));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
