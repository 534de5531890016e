package dev.sluice.analysis.provider;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads an HTTP answer only up to a limit, streaming: a huge answer costs at most the limit in
 * memory and is refused with a clear message instead of exhausting the controller's heap.
 */
final class ResponseBodies {
  /** 1 MiB: far more than any metric answer needs, far less than the controller's heap. */
  static final long MAX_BYTES = 1L << 20;

  private ResponseBodies() {}

  /** @throws TooLarge when the answer is (or says it is) longer than {@code limit} bytes */
  static String read(ResponseBody body, long limit) throws IOException {
    if (body.contentLength() > limit) {
      throw new TooLarge(limit);
    }
    BufferedSource source = body.source();
    if (source.request(limit + 1)) {
      throw new TooLarge(limit);
    }
    MediaType type = body.contentType();
    Charset charset = type == null ? StandardCharsets.UTF_8 : type.charset(StandardCharsets.UTF_8);
    return source.readString(charset);
  }

  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("response larger than " + limit + " bytes");
    }
  }
}
