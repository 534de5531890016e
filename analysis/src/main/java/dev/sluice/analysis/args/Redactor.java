package dev.sluice.analysis.args;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Replaces secret values (as written, and URL-encoded) with {@code *****} in anything Sluice writes. */
public final class Redactor {
  public static final String MASK = "*****";
  private static final Redactor NONE = new Redactor(List.of());

  private final List<String> secrets;

  private Redactor(Collection<String> secrets) {
    Set<String> forms = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    // longest first, so a secret that contains another is masked whole
    this.secrets = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public static Redactor none() {
    return NONE;
  }

  public static Redactor of(Collection<String> secrets) {
    return new Redactor(secrets);
  }

  public Redactor with(Collection<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    Set<String> all = new LinkedHashSet<>(secrets);
    all.addAll(more);
    return new Redactor(all);
  }

  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }
}
