package dev.sluice.api.schema;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Set;

/**
 * For the CRD generator: every {@code type: integer} in a resource's schema gets the format of the
 * Java field behind it ({@code int32} for int/Integer, {@code int64} for long/Long), and an int32
 * field without its own {@code @Min}/{@code @Max} gets the int32 range, so the API server refuses a
 * number the controller could not read (one such object once stopped the whole informer). So does
 * the integer of every int-or-string ({@link IntOrString}: Sluice's maxSurge, pause durations,
 * metric limits, and the ports of the pod template's probes), whose string is left as it is.
 * Quantities, also int-or-string in the schema, take any size and are left unbounded. Put it on
 * a custom resource class with {@code input} = that class's name: the generator gives a customizer
 * the schema but not the class, so the walk pairs schema properties with Java properties itself.
 */
public final class IntegerFormats implements SchemaCustomizer.Customizer {
  private static final Set<Class<?>> INT32 = Set.of(int.class, Integer.class, short.class, Short.class, byte.class, Byte.class);
  private static final Set<Class<?>> INT64 = Set.of(long.class, Long.class);
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
    try {
      annotate(schema, mapper.constructType(Class.forName(input, false, IntegerFormats.class.getClassLoader())));
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("IntegerFormats: no class " + input, e);
    }
    return schema;
  }

  private void annotate(JSONSchemaProps schema, JavaType type) {
    if (schema == null || type == null) {
      return;
    }
    if (type.getRawClass() == IntOrString.class) {
      // the structural-schema rules forbid anything in the anyOf branches of an int-or-string, but
      // minimum/maximum beside them apply to a number only and leave the string alone
      boundToInt32(schema);
    } else if ("integer".equals(schema.getType())) {
      if (INT32.contains(type.getRawClass())) {
        schema.setFormat("int32");
        boundToInt32(schema);
      } else if (INT64.contains(type.getRawClass())) {
        schema.setFormat("int64");
      }
    } else if (type.isContainerType()) {
      if (type.isMapLikeType() && schema.getAdditionalProperties() != null) {
        annotate(schema.getAdditionalProperties().getSchema(), type.getContentType());
      } else if (schema.getItems() != null) {
        annotate(schema.getItems().getSchema(), type.getContentType());
      }
    } else if (schema.getProperties() != null) {
      for (BeanPropertyDefinition property : mapper.getDeserializationConfig().introspect(type).findProperties()) {
        JavaType propertyType = property.getPrimaryType();
        annotate(schema.getProperties().get(property.getName()), propertyType);
      }
    }
  }

  private static void boundToInt32(JSONSchemaProps schema) {
    if (schema.getMinimum() == null) schema.setMinimum((double) Integer.MIN_VALUE);
    if (schema.getMaximum() == null) schema.setMaximum((double) Integer.MAX_VALUE);
  }
}
