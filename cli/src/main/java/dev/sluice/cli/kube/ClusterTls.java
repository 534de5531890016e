package dev.sluice.cli.kube;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for {@link DirectReads} as fabric8 sets it up from a kubeconfig: the kubeconfig's CA trusted
 * besides the JDK's own roots (loaded only when the CA does not vouch for the server), the client
 * certificate and key if any, or every certificate with insecure-skip-tls-verify.
 */
final class ClusterTls {
  private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1?PRIVATE KEY-----");

  private ClusterTls() {}

  static SSLSocketFactory socketFactory(DirectEndpoint endpoint) throws GeneralSecurityException, IOException {
    TrustManager[] trust;
    if (endpoint.insecure()) {
      trust = new TrustManager[] {new TrustAll()};
    } else if (endpoint.caPem() != null) {
      trust = new TrustManager[] {new CaThenDefault(trustManager(certificates(endpoint.caPem())))};
    } else {
      trust = null; // the JDK's
    }
    KeyManagerFactory keys = null;
    if (endpoint.clientCertPem() != null) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", privateKey(endpoint.clientKeyPem()), new char[0],
          certificates(endpoint.clientCertPem()).toArray(Certificate[]::new));
      keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, new char[0]);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
    return context.getSocketFactory();
  }

  private static List<? extends Certificate> certificates(String pem) throws CertificateException {
    List<? extends Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    if (certificates.isEmpty()) throw new CertificateException("no certificate");
    return certificates;
  }

  private static X509TrustManager trustManager(List<? extends Certificate> certificates) throws GeneralSecurityException, IOException {
    KeyStore store = null;
    if (certificates != null) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) store.setCertificateEntry("ca-" + i, certificates.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) return x509;
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  /** An unencrypted PKCS #8 key (RSA or EC) or PKCS #1 RSA key; anything else is left to fabric8. */
  static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher matcher = PEM_KEY.matcher(pem);
    if (!matcher.find()) throw new GeneralSecurityException("not a PEM private key fabric8's reader is needed for");
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(2));
    if (matcher.group(1) != null) {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8OfRsa(der)));
    }
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }
  }

  /** PKCS #8's PrivateKeyInfo around a PKCS #1 RSAPrivateKey: version 0, rsaEncryption, the key as an octet string. */
  private static byte[] pkcs8OfRsa(byte[] pkcs1) {
    byte[] versionAndAlgorithm = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    byte[] key = der(0x04, pkcs1);
    byte[] content = new byte[versionAndAlgorithm.length + key.length];
    System.arraycopy(versionAndAlgorithm, 0, content, 0, versionAndAlgorithm.length);
    System.arraycopy(key, 0, content, versionAndAlgorithm.length, key.length);
    return der(0x30, content);
  }

  private static byte[] der(int tag, byte[] content) {
    int n = content.length;
    byte[] length = n < 0x80 ? new byte[] {(byte) n}
        : n < 0x100 ? new byte[] {(byte) 0x81, (byte) n}
        : n < 0x10000 ? new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n}
        : new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
    byte[] out = new byte[1 + length.length + n];
    out[0] = (byte) tag;
    System.arraycopy(length, 0, out, 1, length.length);
    System.arraycopy(content, 0, out, 1 + length.length, n);
    return out;
  }

  /** The kubeconfig's CA, and the JDK's trusted roots (loaded only when the CA does not vouch for the server). */
  private static final class CaThenDefault implements X509TrustManager {
    private final X509TrustManager ca;
    private X509TrustManager jdk;

    CaThenDefault(X509TrustManager ca) {
      this.ca = ca;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      try {
        ca.checkServerTrusted(chain, authType);
      } catch (CertificateException notByTheCa) {
        try {
          if (jdk == null) jdk = trustManager(null);
        } catch (GeneralSecurityException | IOException e) {
          throw notByTheCa;
        }
        jdk.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      ca.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return ca.getAcceptedIssuers();
    }
  }

  /** --insecure-skip-tls-verify, or the kubeconfig's insecure-skip-tls-verify: every certificate. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
