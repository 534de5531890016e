package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCpuTest {
  private static final Path STATE = Path.of("/home/u/.local/state/sluice-bench-cluster");

  @Test
  void aProcessBelongsWhenItIsTheComponentAndNamesTheClustersStateDirectory() {
    assertThat(ClusterCpu.belongs(List.of("/c/k8s-v1/kube-apiserver", "--tls-cert-file", STATE + "/pki/apiserver.crt"),
        "kube-apiserver", STATE)).isTrue();
    // the same binary of another cluster on the machine
    assertThat(ClusterCpu.belongs(List.of("/c/k8s-v1/kube-apiserver", "--tls-cert-file", "/home/u/.local/state/sluice-cluster/pki/a.crt"),
        "kube-apiserver", STATE)).isFalse();
    // a pid file left behind whose number a new process took
    assertThat(ClusterCpu.belongs(List.of("/usr/bin/vim", STATE + "/run/etcd.pid"), "etcd", STATE)).isFalse();
    assertThat(ClusterCpu.belongs(List.of(), "etcd", STATE)).isFalse();
  }

  @Test
  void refusesAPidFileWhoseProcessIsNotTheClustersAndAClusterThatIsNotUp(@TempDir Path state) throws IOException {
    assertThatThrownBy(() -> ClusterCpu.of(state)).isInstanceOf(IllegalStateException.class).hasMessageContaining("up?");
    Files.createDirectories(state.resolve("run"));
    for (String c : ClusterCpu.COMPONENTS) {
      Files.writeString(state.resolve("run").resolve(c + ".pid"), ProcessHandle.current().pid() + "\n");
    }
    assertThatThrownBy(() -> ClusterCpu.of(state)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not etcd");
  }

  @Test
  void whatEachComponentUsedBetweenTwoReadings() {
    assertThat(ClusterCpu.between(Map.of("etcd", 1.5, "kwok", 2.0, "kube-apiserver", 0.1), Map.of("etcd", 4.0, "kwok", 2.0,
        "kube-apiserver", 0.3))).containsEntry("etcd", 2.5).containsEntry("kwok", 0.0).containsEntry("kube-apiserver", 0.2);
  }
}
