import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import relaylab.workbook.Task;

/** Task 1: the chat's own TLS certificate, made once with the JDK's keytool, kept in a file and reused. */
final class Certificates {
    static final String ALIAS = "chat";
    /** Protects a key that never leaves this machine and proves nothing to anyone else; a real one comes from a CA. */
    static final char[] PASSWORD = "relaylab-local".toCharArray();

    private Certificates() {
    }

    @Task(number = 1, title = "Serve the chat over wss with a certificate made on first run",
            hint = "keyStore: when the file is missing call keytool(file); then KeyStore.getInstance(\"PKCS12\") and load"
                    + " it with PASSWORD. serverContext: a KeyManagerFactory initialised with the store, then"
                    + " SSLContext.getInstance(\"TLS\").init(keyManagers, null, null). clientContext: a new empty PKCS12"
                    + " store holding only store.getCertificate(ALIAS) (setCertificateEntry), a TrustManagerFactory on it.")
    static KeyStore keyStore(Path file) throws Exception {
        if (!Files.exists(file)) {
            keytool(file);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** The server's side of TLS: its private key and certificate. */
    static SSLContext serverContext(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client's side: trusts this one certificate and nothing else (not the usual CAs, never "trust all"). */
    static SSLContext clientContext(KeyStore store) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(ALIAS, store.getCertificate(ALIAS));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    // ------------------------------------------------------------------ given

    /** Makes a new key pair and a self-signed certificate for localhost and 127.0.0.1, valid a year, in {@code file}. */
    static void keytool(Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "365", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool could not make " + file + " (" + keytool + "): " + output
                    + "; delete the file if it is half written and run again");
        }
    }

    /** SHA-256 of the certificate's public key, base64: what Chromium's --ignore-certificate-errors-spki-list takes. */
    static String publicKeyPin(KeyStore store) throws Exception {
        Certificate certificate = store.getCertificate(ALIAS);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
        return Base64.getEncoder().encodeToString(digest);
    }
}
