package dev.sluice.controller.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The informer cache JOSDK keeps of a controller's primary resources, read without a request to
 * the API server and without a second informer (which would hold a second copy of every object).
 */
public final class PrimaryCache {
  private PrimaryCache() {}

  /**
   * The cached resources of the controller registered for {@code type}; read it only after the
   * operator has started (its informers exist from then on, on a leader and a standby alike).
   */
  public static <P extends HasMetadata> Supplier<Stream<P>> of(Operator operator, Class<P> type) {
    @SuppressWarnings({"rawtypes", "unchecked"})
    RegisteredController<P> registered = operator.getRegisteredControllers().stream()
        .filter(c -> c.getConfiguration().getResourceClass() == type)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no controller is registered for " + type.getSimpleName()));
    // JOSDK's only RegisteredController is its Controller, which is where the event sources are
    if (!(registered instanceof Controller)) {
      throw new IllegalStateException("unexpected JOSDK controller type " + registered.getClass().getName());
    }
    Controller<P> controller = (Controller<P>) registered;
    return () -> controller.getEventSourceManager().getControllerEventSource().list(p -> true);
  }
}
