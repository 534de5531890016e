package dev.sluice.controller.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * A short, stable name for a pod template: the same template always gives the same hash (so a
 * controller restart or a revert to an old template finds the existing ReplicaSet), and the hash
 * is safe in names and label values.
 */
public final class PodTemplateHash {
  // no vowels and no look-alike characters, so a hash never spells a word (as Kubernetes does)
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private PodTemplateHash() {}

  public static String of(PodTemplateSpec template) {
    try {
      byte[] json = CANONICAL.writeValueAsString(template).getBytes(StandardCharsets.UTF_8);
      return encode(fnv1a64(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("pod template cannot be serialized: " + e.getOriginalMessage(), e);
    }
  }

  private static long fnv1a64(byte[] data) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : data) {
      hash ^= (b & 0xff);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  private static String encode(long value) {
    var out = new StringBuilder();
    long v = value;
    for (int i = 0; i < 10; i++) {
      out.append(ALPHABET.charAt((int) Long.remainderUnsigned(v, ALPHABET.length())));
      v = Long.divideUnsigned(v, ALPHABET.length());
    }
    return out.toString();
  }
}
