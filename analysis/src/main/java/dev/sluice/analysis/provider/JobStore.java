package dev.sluice.analysis.provider;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/** Where the job provider reads and writes Jobs: the controller backs it with an informer cache and the API server. */
public interface JobStore {
  Optional<Job> get(String namespace, String name);

  /** Creates the Job; if one with that name already exists (made before a restart), returns that one. */
  Job create(Job job);

  /** Deletes the Job and its pods; nothing if it is already gone. */
  void delete(String namespace, String name);
}
