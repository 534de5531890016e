package dev.sluice.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusResponseTest {
  private static final String WHERE = "Prometheus at http://127.0.0.1:9090";

  private static ProviderResult read(String json) {
    return PrometheusResponse.read(200, json, WHERE);
  }

  @Test
  void aScalarIsANumber() {
    assertThat(read("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.1,\"0.97\"]}}"))
        .isEqualTo(new ProviderResult.Observed("0.97", 0.97, null));
  }

  @Test
  void aVectorIsAListOfNumbersInPrometheusOrder() {
    String json = """
        {"status":"success","data":{"resultType":"vector","result":[
          {"metric":{"pod":"a"},"value":[1700000000,"0.5"]},
          {"metric":{"pod":"b"},"value":[1700000000,"1e-3"]}]}}""";
    assertThat(read(json)).isEqualTo(new ProviderResult.Observed("[0.5,1e-3]", List.of(0.5, 0.001), null));
  }

  @Test
  void anEmptyVectorIsAnEmptyListWithANote() {
    assertThat(read("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
        .isEqualTo(new ProviderResult.Observed("[]", List.of(), "the query returned an empty result (no series matched)"));
  }

  @Test
  void nanAndInfinityAreNumbersAndNaNGetsANote() {
    ProviderResult nan = read("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}");
    assertThat(nan).isInstanceOf(ProviderResult.Observed.class);
    assertThat(((ProviderResult.Observed) nan).note()).isEqualTo("the query returned NaN");
    assertThat(((ProviderResult.Observed) nan).result()).isEqualTo(List.of(Double.NaN));
    assertThat(((ProviderResult.Observed) read("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"+Inf\"]}}")).result())
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void rangeVectorsErrorsAndGarbageAreFailuresThatSayWhat() {
    assertThat(read("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))
        .isEqualTo(new ProviderResult.Failure(WHERE + " returned a range vector (matrix): use an instant query, e.g. wrap it in rate() or sum()"));
    assertThat(PrometheusResponse.read(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}", WHERE))
        .isEqualTo(new ProviderResult.Failure(WHERE + " rejected the query (HTTP 400): bad_data: 1:5: parse error: unexpected end of input"));
    assertThat(PrometheusResponse.read(502, "<html>Bad Gateway</html>", WHERE))
        .isEqualTo(new ProviderResult.Failure(WHERE + " answered HTTP 502 with something that is not JSON: <html>Bad Gateway</html>"));
  }
}
