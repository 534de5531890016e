package dev.sluice.controller.plan;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Labels and annotations to set and to remove on one object (a pod, or a ReplicaSet's pod template). */
public record MetadataChange(SortedMap<String, String> setLabels, SortedSet<String> removeLabels,
    SortedMap<String, String> setAnnotations, SortedSet<String> removeAnnotations) {

  public MetadataChange {
    setLabels = Collections.unmodifiableSortedMap(new TreeMap<>(setLabels));
    removeLabels = Collections.unmodifiableSortedSet(new TreeSet<>(removeLabels));
    setAnnotations = Collections.unmodifiableSortedMap(new TreeMap<>(setAnnotations));
    removeAnnotations = Collections.unmodifiableSortedSet(new TreeSet<>(removeAnnotations));
  }

  public static MetadataChange of(Map<String, String> setLabels, Set<String> removeLabels, Map<String, String> setAnnotations,
      Set<String> removeAnnotations) {
    return new MetadataChange(new TreeMap<>(setLabels), new TreeSet<>(removeLabels), new TreeMap<>(setAnnotations),
        new TreeSet<>(removeAnnotations));
  }

  public boolean isEmpty() {
    return setLabels.isEmpty() && removeLabels.isEmpty() && setAnnotations.isEmpty() && removeAnnotations.isEmpty();
  }
}
