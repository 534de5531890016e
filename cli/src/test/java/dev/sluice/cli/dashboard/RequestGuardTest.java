package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestGuardTest {
  private final RequestGuard guard = new RequestGuard(3100);

  @ParameterizedTest(name = "{0} Host={1} Origin={2} header={3}")
  @CsvSource(nullValues = "-", value = {
      "GET,  127.0.0.1:3100, -,                     -",
      "GET,  localhost:3100, -,                     -",
      "GET,  LOCALHOST:3100, http://evil.example,   -",
      "POST, 127.0.0.1:3100, http://127.0.0.1:3100, 1",
      "POST, localhost:3100, http://localhost:3100, 1",
      "POST, 127.0.0.1:3100, -,                     1",
  })
  void theDashboardsOwnRequestsPass(String method, String host, String origin, String header) {
    assertThat(guard.problem(method, host, origin, header)).isEmpty();
  }

  @ParameterizedTest(name = "{0} Host={1} Origin={2} header={3}")
  @CsvSource(nullValues = "-", delimiter = '|', value = {
      "GET  | evil.example:3100 | -                       | -  | unexpected Host header \"evil.example:3100\": open the dashboard as http://127.0.0.1:3100/",
      "GET  | 127.0.0.1:3101    | -                       | -  | unexpected Host header \"127.0.0.1:3101\": open the dashboard as http://127.0.0.1:3100/",
      "GET  | -                 | -                       | -  | unexpected Host header (none): open the dashboard as http://127.0.0.1:3100/",
      "POST | 127.0.0.1:3100    | http://evil.example     | 1  | cross-site request refused (Origin http://evil.example)",
      "POST | 127.0.0.1:3100    | http://127.0.0.1:3101   | 1  | cross-site request refused (Origin http://127.0.0.1:3101)",
      "POST | 127.0.0.1:3100    | null                    | 1  | cross-site request refused (Origin null)",
      "POST | 127.0.0.1:3100    | http://127.0.0.1:3100   | -  | missing header X-Sluice-Dashboard: actions are only taken from the dashboard page",
      "POST | 127.0.0.1:3100    | -                       | '' | missing header X-Sluice-Dashboard: actions are only taken from the dashboard page",
  })
  void otherRequestsAreRefusedWithTheReason(String method, String host, String origin, String header, String reason) {
    assertThat(guard.problem(method, host, origin, header)).isEqualTo(Optional.of(reason));
  }
}
