package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SseFramesTest {

  @Test
  void anEventIsItsNameAndDataEndedByABlankLine() {
    assertThat(SseFrames.event("rollout", "{\"name\":\"shop\"}")).isEqualTo("event: rollout\ndata: {\"name\":\"shop\"}\n\n");
  }

  @Test
  void lineBreaksInTheDataCannotEndTheEventOrStartAnother() {
    String frame = SseFrames.event("rollout", "first\n\nevent: forged\r\ndata: x\rlast");

    assertThat(frame).isEqualTo("event: rollout\ndata: first\ndata: \ndata: event: forged\ndata: data: x\ndata: last\n\n");
    assertThat(frame.indexOf("\n\n")).isEqualTo(frame.length() - 2);
  }

  @Test
  void anEventNameIsOneLine() {
    assertThatThrownBy(() -> SseFrames.event("rollout\ndata: x", "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keepAliveIsACommentAndRetryTellsTheBrowserWhenToReconnect() {
    assertThat(SseFrames.keepAlive()).startsWith(":").endsWith("\n\n");
    assertThat(SseFrames.retry(1000)).isEqualTo("retry: 1000\n\n");
  }
}
