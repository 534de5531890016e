package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRequestTest {

  @ParameterizedTest(name = "{0} {1} -> {2} {3} {4}")
  @CsvSource(delimiter = '|', value = {
      "GET    | /apis/sluice.dev/v1alpha1/namespaces/shop/rollouts/web                          | get              | sluice.dev  | rollouts",
      "GET    | /apis/sluice.dev/v1alpha1/namespaces/shop/rollouts                              | list             | sluice.dev  | rollouts",
      "GET    | /apis/sluice.dev/v1alpha1/rollouts?resourceVersion=0                            | list             | sluice.dev  | rollouts",
      "GET    | /apis/sluice.dev/v1alpha1/namespaces/shop/rollouts?allowWatchBookmarks=true&watch=true&resourceVersion=42 | watch | sluice.dev | rollouts",
      "GET    | /api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&watch=1                    | watch            | core        | pods",
      "GET    | /api/v1/watch/namespaces/shop/secrets                                           | watch            | core        | secrets",
      "PATCH  | /apis/sluice.dev/v1alpha1/namespaces/shop/rollouts/web/status                   | patch            | sluice.dev  | rollouts/status",
      "PUT    | /apis/sluice.dev/v1alpha1/namespaces/shop/analysisruns/web-7d9f8c6b5-2-0/status | update           | sluice.dev  | analysisruns/status",
      "POST   | /apis/apps/v1/namespaces/shop/replicasets                                       | create           | apps        | replicasets",
      "PUT    | /apis/apps/v1/namespaces/shop/replicasets/web-7d9f8c6b5/scale                   | update           | apps        | replicasets/scale",
      "DELETE | /apis/apps/v1/namespaces/shop/replicasets/web-7d9f8c6b5                         | delete           | apps        | replicasets",
      "DELETE | /apis/batch/v1/namespaces/shop/jobs?labelSelector=x                             | deletecollection | batch       | jobs",
      "POST   | /apis/events.k8s.io/v1/namespaces/shop/events                                   | create           | events.k8s.io | events",
      "PUT    | /apis/coordination.k8s.io/v1/namespaces/sluice/leases/sluice-controller         | update           | coordination.k8s.io | leases",
      "GET    | /api/v1/namespaces/shop                                                         | get              | core        | namespaces",
      "GET    | /api/v1/namespaces                                                              | list             | core        | namespaces",
      "PUT    | /api/v1/namespaces/shop/finalize                                                | update           | core        | namespaces/finalize",
      "GET    | /apis/apiextensions.k8s.io/v1/customresourcedefinitions/rollouts.sluice.dev     | get              | apiextensions.k8s.io | customresourcedefinitions",
      "GET    | /version                                                                        | get              | none        | none",
      "GET    | /apis/sluice.dev/v1alpha1                                                       | get              | sluice.dev  | none",
      "GET    | /apis                                                                           | get              | none        | none",
      "GET    | /openapi/v3/apis/apps/v1                                                        | get              | none        | none"})
  void verbGroupAndResourceWithoutAnyName(String method, String url, String verb, String group, String resource) {
    ApiRequest request = ApiRequest.of(method, URI.create("https://127.0.0.1:6443" + url));

    assertThat(request).isEqualTo(new ApiRequest(verb, group, resource));
  }
}
