package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestCountsTest {

  @Test
  void argoCounterIsKeyedLikeTheApiServerWithSubresourcesAndUnparsedCreatesNamed() {
    String page = """
        # TYPE controller_clientset_k8s_request_total counter
        controller_clientset_k8s_request_total{kind="replicasets",name="N/A",namespace="ns",status_code="200",verb="Update"} 4
        controller_clientset_k8s_request_total{kind="bench-1",name="status",namespace="ns",status_code="200",verb="Patch"} 3
        controller_clientset_k8s_request_total{kind="bench-2",name="status",namespace="ns",status_code="200",verb="Patch"} 2
        controller_clientset_k8s_request_total{kind="",name="",namespace="",status_code="201",verb="Create"} 5
        controller_clientset_k8s_request_total{kind="pods",name="N/A",namespace="ns",status_code="200",verb="List"} 7
        controller_clientset_k8s_request_total{kind="leases",name="argo-rollouts-controller-lock",namespace="argo-rollouts",status_code="200",verb="Update"} 9
        controller_info{version="v1.9.1"} 1
        """;

    RequestCounts counts = ControllerUnderTest.Argo.counts(page);

    assertThat(counts.byVerbAndResource()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "update replicasets", 4L, "patch any/status", 5L, "create unparsed", 5L, "list pods", 7L, "update leases", 9L));
    assertThat(counts.writes()).isEqualTo(4 + 5 + 5 + 9);
    assertThat(counts.without(Set.of("leases")).writes()).isEqualTo(4 + 5 + 5);
  }

  @Test
  void apiServerCounterKeepsSubresourcesAndFailedRequestsApartAndCountsOnlyWriteVerbsAsWrites() {
    String page = """
        apiserver_request_total{code="200",component="apiserver",group="sluice.dev",resource="rollouts",scope="resource",subresource="status",verb="PUT",version="v1alpha1"} 6
        apiserver_request_total{code="409",component="apiserver",group="sluice.dev",resource="rollouts",scope="resource",subresource="status",verb="PUT",version="v1alpha1"} 1
        apiserver_request_total{code="200",component="apiserver",group="apps",resource="replicasets",scope="resource",subresource="",verb="GET",version="v1"} 8
        """;

    RequestCounts counts = RequestCounts.parse(page, "apiserver_request_total");

    assertThat(counts.byVerbAndResource()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "PUT rollouts/status", 6L, "PUT rollouts/status 409", 1L, "GET replicasets", 8L));
    assertThat(counts.writes()).as("a failed write is still a request the API server served").isEqualTo(7);
    assertThat(counts.without(Set.of("rollouts/status")).writes()).isZero();
  }
}
