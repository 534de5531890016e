package dev.sluice.controller.serialization;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import dev.sluice.api.ReadProblem;
import dev.sluice.controller.KubernetesEvents;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Sluice's custom resources so that one object that cannot be read (a number out of range,
 * a string where an object belongs: stored before the CRD had bounds, or written into status)
 * fails alone. fabric8 reads an informer's whole list at once, so a single unreadable item used to
 * stop the informer and with it every namespace's reconciles. Here such an item becomes an object
 * with its metadata only (no spec, no status) and the annotation {@value #ANNOTATION} saying what
 * could not be read; reconcilers report it and leave it alone. The annotation exists only in the
 * controller's memory: nothing writes it back.
 */
public final class UnreadableResources {
  /** In-memory only: "where: what" for an object whose spec or status could not be read. */
  public static final String ANNOTATION = "sluice.dev/unreadable";
  private static final String SLUICE_MODEL = "dev.sluice.api.";

  private UnreadableResources() {}

  /** fabric8's serialization plus this tolerance: the controller client's, {@link ClientSerialization}. */
  public static KubernetesSerialization serialization() {
    return ClientSerialization.create();
  }

  /** What could not be read of {@code resource}, if it is such a placeholder. */
  public static Optional<String> problem(HasMetadata resource) {
    var annotations = resource.getMetadata() == null ? null : resource.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ANNOTATION));
  }

  /** A Warning event "Unreadable" on it (and a log line): the only thing done for such an object. */
  public static void report(HasMetadata resource, String problem, KubernetesClient client, Logger log, Instant now) {
    new KubernetesEvents(client, log).record(resource, List.of(new KubernetesEvents.Transition(KubernetesEvents.Type.Warning,
        "Unreadable", "cannot read " + problem + "; nothing is done for this " + resource.getKind() + " until it is fixed")), now);
  }

  static Module module() {
    return new SimpleModule("sluice-unreadable-resources").setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> deserializer) {
        Class<?> type = bean.getBeanClass();
        return CustomResource.class.isAssignableFrom(type) && type.getName().startsWith(SLUICE_MODEL)
            ? new Tolerant(deserializer, type) : deserializer;
      }
    });
  }

  private static final class Tolerant extends DelegatingDeserializer {
    private final Class<?> type;

    Tolerant(JsonDeserializer<?> delegate, Class<?> type) {
      super(delegate);
      this.type = type;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Tolerant(delegate, type);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      try (JsonParser buffered = tree.traverse(p.getCodec())) {
        buffered.nextToken();
        return _delegatee.deserialize(buffered, ctxt);
      } catch (JacksonException e) {
        return placeholder(tree, e, ctxt);
      }
    }

    private Object placeholder(JsonNode tree, JacksonException problem, DeserializationContext ctxt) throws IOException {
      HasMetadata resource;
      try {
        resource = (HasMetadata) type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw JsonMappingException.from(ctxt, "cannot create a placeholder " + type.getName(), e);
      }
      JsonNode meta = tree.get("metadata");
      if (meta == null || !meta.isObject()) {
        throw problem; // nothing to name it by (the API server never stores such an object)
      }
      ObjectMeta metadata = ctxt.readTreeAsValue(meta, ObjectMeta.class);
      var annotations = new LinkedHashMap<String, String>(metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations());
      annotations.put(ANNOTATION, ReadProblem.of(problem).toString());
      metadata.setAnnotations(annotations);
      resource.setMetadata(metadata);
      return resource;
    }
  }
}
