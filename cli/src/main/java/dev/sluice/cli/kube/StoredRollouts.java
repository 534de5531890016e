package dev.sluice.cli.kube;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.ReadProblem;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rollouts as stored, bound to the model one at a time: one that another tenant stored with a value
 * the model cannot hold (a number beyond an int, stored before the CRD had bounds or where the CRD
 * still has none) is named with where and why, instead of failing a whole list or watch with it.
 * Reads go through the untyped API for that reason.
 */
public final class StoredRollouts {
  /** The kind's context from the model: no discovery request before a request. */
  public static final ResourceDefinitionContext CONTEXT = ResourceDefinitionContext.fromResourceType(Rollout.class);

  /** A stored Rollout that could not be read, and why ("spec.strategy.canary.maxSurge: ... (stored: 9000000000)"). */
  public record Unreadable(String namespace, String name, String problem) {
    public String line() {
      return "rollout \"" + namespace + "/" + name + "\" cannot be read by kubectl-sluice: " + problem;
    }
  }

  /** The Rollouts of a list that the model could read, and those it could not. */
  public record Listing(List<Rollout> rollouts, List<Unreadable> unreadable) {}

  private StoredRollouts() {}

  /** The stored rollout bound to the model, or a {@link CliException} saying which and why it cannot be. */
  public static Rollout read(KubernetesSerialization serialization, GenericKubernetesResource stored) {
    Listing read = readAll(serialization, List.of(stored));
    if (!read.unreadable().isEmpty()) {
      throw new CliException(read.unreadable().get(0).line());
    }
    return read.rollouts().get(0);
  }

  /**
   * The stored rollout as the API server sent it, with the fields `get rollout` shows bound
   * ({@link ShownFields}), or a {@link CliException} saying which and why one cannot be.
   */
  public static Rollout readShown(JsonNode stored) {
    Listing read = readAllShown(List.of(stored));
    if (!read.unreadable().isEmpty()) {
      throw new CliException(read.unreadable().get(0).line());
    }
    return read.rollouts().get(0);
  }

  /** As {@link #readAll}, for Rollouts as the API server sent them, with the fields `list rollouts` shows bound ({@link ShownFields}). */
  public static Listing readAllShown(Collection<JsonNode> stored) {
    List<Rollout> rollouts = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (JsonNode item : stored) {
      try {
        rollouts.add(ShownFields.read(item, Rollout.class));
      } catch (JacksonException e) {
        unreadable.add(unreadable(item, ReadProblem.of(e)));
      }
    }
    return new Listing(List.copyOf(rollouts), List.copyOf(unreadable));
  }

  public static Listing readAll(KubernetesSerialization serialization, Collection<GenericKubernetesResource> stored) {
    List<Rollout> rollouts = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (GenericKubernetesResource item : stored) {
      try {
        rollouts.add(serialization.convertValue(item, Rollout.class));
      } catch (IllegalArgumentException e) {
        if (!(e.getCause() instanceof JacksonException jackson)) throw e;
        unreadable.add(unreadable(serialization.convertValue(item, JsonNode.class), ReadProblem.of(jackson)));
      }
    }
    return new Listing(List.copyOf(rollouts), List.copyOf(unreadable));
  }

  private static Unreadable unreadable(JsonNode stored, ReadProblem problem) {
    JsonNode metadata = stored.path("metadata");
    return new Unreadable(metadata.path("namespace").textValue(), metadata.path("name").textValue(),
        problem + storedValue(stored, problem));
  }

  /** " (stored: 9000000000)": what is there, when it is a plain value. */
  private static String storedValue(JsonNode stored, ReadProblem problem) {
    if (problem.pointer().isEmpty()) return "";
    JsonNode value = stored.at(problem.pointer());
    return value.isValueNode() ? " (stored: " + value + ")" : "";
  }
}
