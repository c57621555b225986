import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import relaylab.realtime.RealtimeServer;
import relaylab.realtime.testing.RealtimeFixture;
import relaylab.realtime.testing.TestClient;
import relaylab.testing.Browser;
import relaylab.testing.BrowserPage;
import relaylab.testing.Screenshots;

/**
 * The attacks that need a real browser, in headless Chromium: a page on another origin riding the victim's
 * cookie (task 3), and markup in a message (task 6). Chromium trusts exactly the chat's certificate, by its key.
 */
class SecureChatPageTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static Path certificate;
    private static Browser browser;
    private SecureChat chat;
    private RealtimeFixture fx;
    private RealtimeServer evil;

    private static String pin;

    /** Makes the chat's certificate once for the class (keytool is a JVM of its own: slow on a busy machine). */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Assumptions.assumeTrue(Browser.available(), Browser.unavailableReason());
        certificate = Files.createTempDirectory("lesson14-").resolve("chat.p12");
        try {
            pin = Certificates.publicKeyPin(Certificates.keyStore(certificate));
        } catch (UnsupportedOperationException todo) {
            pin = null;   // task 1 unfinished: the chat serves plain http, which needs no certificate flag
        }
    }

    /** Starts Chromium on first use, trusting exactly the chat's key (a step of its own, for the same reason). */
    private static Browser browser() {
        if (browser == null) {
            browser = pin == null ? Browser.start() : Browser.start("--ignore-certificate-errors-spki-list=" + pin);
        }
        return browser;
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (certificate != null) {
            Files.deleteIfExists(certificate);
            Files.deleteIfExists(certificate.getParent());
        }
    }

    @BeforeEach
    void start() {
        browser();
        chat = new SecureChat(certificate);
        fx = RealtimeFixture.start(chat::configure, chat::install);
    }

    @AfterEach
    void stop() {
        fx.close();
        if (evil != null) {
            evil.stop();
        }
    }

    /** Opens the chat with no cookie left from another test, logs in as {@code name}, waits until connected. */
    private BrowserPage loggedIn(String name) {
        BrowserPage page = browser.open(fx.url() + "/");
        page.script("document.cookie = 'token=; path=/; max-age=0'");
        page = browser.open(fx.url() + "/");
        page.awaitText("#status", "not logged in", WAIT);
        page.type("#username", name);
        page.click("#login-button");
        page.awaitScript("document.getElementById('status').textContent.startsWith('connected as ')"
                + " || document.getElementById('status').textContent.startsWith('refused')", WAIT);
        assertThat(page.text("#status")).as("the status after logging in; unfinished: " + chat.missing)
                .isEqualTo("connected as " + name);
        return page;
    }

    private void startEvilServer() {
        evil = RealtimeServer.create(cfg -> {
            cfg.staticFiles(SecureChat.class, "/");
            try {
                if (chat.keyStore != null) {
                    cfg.ssl(Certificates.serverContext(chat.keyStore));
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot serve the other origin with the chat's certificate: " + e, e);
            }
        }).start(0);
    }

    /** Logs in on "/login" with the Java client and returns the token, as the page does. */
    private String token(String name) {
        TestClient login = fx.client(o -> {
            try {
                if (chat.keyStore != null) {
                    o.sslContext(Certificates.clientContext(chat.keyStore));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            o.namespace("/login");
        });
        Map<?, ?> reply = (Map<?, ?>) login.ack("login", name).get(0);
        login.close();
        return String.valueOf(reply.get("token"));
    }

    @Test
    @Tag("task:3")
    @DisplayName("a page on another origin cannot open a socket with the victim's cookie; the chat's own page still can")
    void hijackBlocked() {
        loggedIn("victim");
        startEvilServer();
        BrowserPage attack = browser.open(evil.url() + "/evil.html?victim=" + fx.url());
        attack.awaitScript("document.getElementById('result').textContent !== 'trying…'", WAIT);
        assertThat(attack.text("#result")).as("the page on " + evil.url() + "; unfinished: " + chat.missing)
                .startsWith("blocked:");
        BrowserPage own = browser.open(fx.url() + "/");
        own.awaitText("#status", "connected as victim", WAIT);
    }

    @Test
    @Tag("task:6")
    @DisplayName("an <img onerror> in a message shows as text and runs nothing; an inline handler is blocked by the policy")
    void markupDoesNotRun() {
        BrowserPage reader = loggedIn("reader");
        TestClient mallory = fx.client(o -> {
            try {
                if (chat.keyStore != null) {
                    o.sslContext(Certificates.clientContext(chat.keyStore));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            o.auth(Map.of("token", token("mallory")));
        });
        String attack = "<img src=x onerror=\"window.pwned = 1\"> <b>hello</b>";
        assertThat(mallory.ack("sendMessage", attack).get(0)).isEqualTo(Map.of("ok", true));
        reader.awaitScript("document.querySelectorAll('#messages .message').length === 1", WAIT);
        assertThat(reader.text("#messages .text")).as("GOT IN: the message as the reader's page shows it; unfinished: "
                + chat.missing).isEqualTo(attack);
        assertThat(reader.count("#messages img, #messages b")).as("elements made from the message's markup").isZero();
        // A spot the author forgot: markup reaching innerHTML anyway. The policy must still stop its handler.
        reader.script("const box = document.createElement('div'); box.id = 'forgotten'; box.innerHTML = arguments[0];"
                + " box.firstChild.addEventListener('error', () => { window.errorSeen = true; });"
                + " document.body.append(box);", "<img src=missing.png onerror=\"window.pwned = 2\">");
        reader.awaitScript("window.errorSeen === true", WAIT);
        assertThat(reader.script("return window.pwned === undefined")).as("GOT IN: an inline onerror handler ran;"
                + " unfinished: " + chat.missing).isEqualTo(true);
        reader.script("document.getElementById('forgotten').remove()");
        reader.type("#message", "hello mallory");
        reader.click("#send");
        reader.awaitScript("document.querySelectorAll('#messages .message').length === 2", WAIT);
        Screenshots.save(reader, 14);
    }
}
