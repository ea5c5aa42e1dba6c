package org.ilinks.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.ilinks.admin.AdminUser;
import org.ilinks.admin.PasswordHash;
import org.ilinks.admin.Role;
import org.ilinks.admin.UserStore;
import org.ilinks.mllp.AckSummary;
import org.ilinks.mllp.MllpClient;
import org.ilinks.mllp.MllpReceiver;
import org.ilinks.support.LogCapture;
import org.ilinks.support.TestEngine;
import org.ilinks.support.WebDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console in a real headless Chromium, as support staff use it: log in (and change the password set by an
 * admin), see the parked copy on the dashboard, find it in the message browser, open it, replay it with a reason and
 * see it delivered. The service's receiver is a real MLLP server that rejects the first copy (AR: parked) and takes
 * the next. No patient data may reach the engine's log or the browser's console on the way.
 */
class ConsoleBrowserTest {

    private static final String NHS = "9434765919";
    private static final String FIRST_PASSWORD = "set-by-admin-123";
    private static final String OWN_PASSWORD = "sams-own-password-456";

    @TempDir
    Path tmp;

    @Test
    void supportFindsAParkedMessageReplaysItAndSeesItDelivered() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "Chromium and chromedriver are not installed "
                + "(apt-get install chromium chromium-driver; .ci/run installs them): the browser test is skipped");
        Path screens = TestEngine.projectDir().resolve("target/console-browser");
        try (LogCapture log = new LogCapture();
             MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0)) {
            receiver.start();
            AtomicInteger answered = new AtomicInteger();
            receiver.respondWith(payload -> answered.getAndIncrement() == 0 ? "AR" : "AA");
            try (TestEngine te = new TestEngine(tmp).mllpService("clinic", receiver.port(), "ADT^A01")) {
                te.start();
                sendAdmissionTheClinicRejects(te, "CONSOLE-1", answered);
                new UserStore(te.engine().dataSource()).create(new AdminUser("sam", PasswordHash.of(FIRST_PASSWORD),
                        Set.of(Role.SUPPORT), false, true, Instant.now()));

                try (WebDriver browser = new WebDriver(screens)) {
                    try {
                        browse(browser, te, screens);
                    } catch (AssertionError | RuntimeException e) {
                        browser.screenshot(screens.resolve("failure.png"));
                        throw e;
                    }
                    List<String> console = new ArrayList<>(browser.consoleLog());
                    assertThat(String.join("\n", console)).as("the browser's console").doesNotContain(NHS)
                            .doesNotContain("BROWSER");
                }
                assertThat(receiver.count()).as("the rejected copy, then the replayed one").isEqualTo(2);
            }
            assertThat(log.text()).as("the engine's log").doesNotContain(NHS).doesNotContain("BROWSER^PATIENT")
                    .doesNotContain(OWN_PASSWORD).doesNotContain(FIRST_PASSWORD);
        }
    }

    /** Pictures of the pages on the way (target/console-browser), to look at what a person sees. */
    private static void browse(WebDriver browser, TestEngine te, Path screens) {
        // "/" leads to the console, which asks for a login.
        browser.open(te.adminUrl() + "/");
        browser.type("#login-username", "sam");
        browser.type("#login-password", FIRST_PASSWORD);
        browser.click("#login-submit");

        // The admin set this password: the console asks for the user's own before anything else.
        browser.type("#pw-current", FIRST_PASSWORD);
        browser.type("#pw-new", OWN_PASSWORD);
        browser.type("#pw-again", OWN_PASSWORD);
        browser.click("#pw-submit");

        // The dashboard: the user, their role, and the service with its parked copy.
        assertThat(browser.text("#username")).isEqualTo("sam");
        assertThat(browser.text("#roles")).isEqualTo("support");
        assertThat(browser.count("#nav-consent")).as("support may not look up consent: no link").isZero();
        browser.waitForText("#dash-table tbody tr", row -> row.startsWith("clinic"), "the clinic's row");
        String row = browser.text("#dash-table tbody tr");
        assertThat(row).contains("mllp").contains("ACK AR");
        assertThat(browser.count("#dash-table svg.spark polyline")).as("a sparkline per service").isEqualTo(1);
        browser.screenshot(screens.resolve("dashboard.png"));

        // The message browser, filtered to parked copies.
        browser.click("#nav-messages");
        browser.click("#f-status option[value='parked']");
        browser.click("#f-submit");
        browser.waitForText("#messages-table tbody", t -> t.contains("clinic PARKED"), "the parked message listed");
        assertThat(browser.url()).contains("#/messages?status=parked");
        assertThat(browser.count("#messages-table tbody tr")).isEqualTo(1);
        browser.click("#messages-table a.message-link");

        // The message: its copy for the clinic parked, and its hops from the audit trail.
        browser.waitForText("td.service-status[data-service='clinic']", "PARKED"::equals, "the clinic's copy parked");
        browser.waitForText("#trail-table", t -> t.contains("RECEIVED") && t.contains("PARKED"), "the hop trail");
        assertThat(browser.count("#content-form")).as("no body role: no content view").isZero();
        browser.screenshot(screens.resolve("message-parked.png"));

        browser.type("#replay-reason", "INC-4242: the clinic system is fixed");
        browser.click("#replay-submit");
        browser.waitForText("#replay-progress .job", t -> t.contains("DONE") || t.contains("STOPPED"),
                "the replay job to finish");
        browser.waitForText("td.service-status[data-service='clinic']", "DELIVERED"::equals,
                "the clinic's copy delivered after the replay");
        browser.waitForText("#trail-table", t -> t.contains("DELIVERED"), "the delivery in the hop trail");
        browser.screenshot(screens.resolve("message-replayed.png"));

        // The jobs page lists the job with its reason and who asked.
        browser.click("#nav-jobs");
        browser.waitForText("#jobs-table tbody", t -> t.contains("INC-4242") && t.contains("sam"), "the job listed");
    }

    @Test
    void supportWithTheBodyRoleEditsAParkedMessageAndTheEditIsDelivered() throws Exception {
        Assumptions.assumeTrue(WebDriver.available(), "Chromium and chromedriver are not installed: skipped");
        Path screens = TestEngine.projectDir().resolve("target/console-browser");
        try (MllpReceiver receiver = new MllpReceiver("127.0.0.1", 0)) {
            receiver.start();
            AtomicInteger answered = new AtomicInteger();
            receiver.respondWith(payload -> answered.getAndIncrement() == 0 ? "AR" : "AA");
            try (TestEngine te = new TestEngine(tmp).mllpService("clinic", receiver.port(), "ADT^A01")) {
                te.start();
                sendAdmissionTheClinicRejects(te, "CONSOLE-2", answered);
                new UserStore(te.engine().dataSource()).create(new AdminUser("bea", PasswordHash.of(OWN_PASSWORD),
                        Set.of(Role.SUPPORT, Role.BODY), false, false, Instant.now()));
                org.ilinks.history.MessageHistory history = new org.ilinks.history.MessageHistory(
                        te.engine().dataSource(), org.ilinks.history.ContentCipher.none());
                await().atMost(Duration.ofSeconds(20)).until(() -> history.list(new org.ilinks.history.HistoryFilter(
                        "clinic", "parked", null, null, null, null, null, false), 0, 1).messages().size() == 1);
                String id = history.list(new org.ilinks.history.HistoryFilter("clinic", "parked", null, null, null,
                        null, null, false), 0, 1).messages().get(0).messageId();

                try (WebDriver browser = new WebDriver(screens)) {
                    try {
                        browser.open(te.adminUrl() + "/console/");
                        browser.type("#login-username", "bea");
                        browser.type("#login-password", OWN_PASSWORD);
                        browser.click("#login-submit");
                        browser.waitForText("#username", "bea"::equals, "logged in");
                        browser.click("#nav-messages");
                        browser.click("#f-status option[value='parked']");
                        browser.click("#f-submit");
                        browser.waitForText("#messages-table tbody", t -> t.contains(id), "the parked message listed");
                        browser.click("#messages-table a.message-link");
                        browser.waitForText("td.service-status[data-service='clinic']", "PARKED"::equals, "parked");
                        browser.waitForText("#edit-panel summary", t -> t.startsWith("Edit and replay"), "edit form");
                        browser.click("#edit-panel summary");
                        browser.type("#edit-purpose", "INC-77 wrong ward");
                        browser.click("#edit-load");
                        WebDriver.waitUntil("the content loaded for editing", () -> browser.script(
                                "return document.querySelector('#edit-content').value").asText().contains("WARD1"));
                        browser.script("const t = document.querySelector('#edit-content');"
                                + " t.value = t.value.replace('PV1|1|I|WARD1', 'PV1|1|I|WARD9');");
                        browser.type("#edit-reason", "INC-77: the ward code was wrong");
                        browser.click("#edit-submit");
                        browser.waitForText("#edit-progress .job", t -> t.contains("DONE"), "the edit's replay done");
                        browser.waitForText("td.service-status[data-service='clinic']", "DELIVERED"::equals,
                                "the edited copy delivered");
                        browser.click("#edit-show-history");
                        browser.waitForText("#edit-history", t -> t.contains("- PV1|1|I|WARD1")
                                && t.contains("+ PV1|1|I|WARD9"), "the edit's diff");
                        browser.screenshot(screens.resolve("message-edited.png"));
                    } catch (AssertionError | RuntimeException e) {
                        browser.screenshot(screens.resolve("edit-failure.png"));
                        throw e;
                    }
                }
                byte[] delivered = receiver.received().get(receiver.received().size() - 1);
                assertThat(new String(delivered, StandardCharsets.UTF_8)).as("the edit is what the clinic received")
                        .contains("PV1|1|I|WARD9");
            }
        }
    }

    /** An admission the clinic's receiver answers AR (its first answer): parked for the clinic. */
    private static void sendAdmissionTheClinicRejects(TestEngine te, String controlId, AtomicInteger answered)
            throws Exception {
        try (MllpClient mllp = new MllpClient("127.0.0.1", te.port(), 2000, 10000)) {
            String message = String.join("\r",
                    "MSH|^~\\&|PAS|RQ6|ILINKS|NMERSEY|20261126101500||ADT^A01^ADT_A01|" + controlId + "|P|2.4",
                    "EVN|A01|20261126101500",
                    "PID|1||" + NHS + "^^^NHS^NH||BROWSER^PATIENT||19700101|F",
                    "PV1|1|I|WARD1") + "\r";
            assertThat(AckSummary.parse(mllp.send(message.getBytes(StandardCharsets.UTF_8))).code())
                    .isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() == 1);
    }
}
