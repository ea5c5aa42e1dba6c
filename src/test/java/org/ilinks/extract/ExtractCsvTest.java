package org.ilinks.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.ilinks.support.TestEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A practice's delimited (CSV) extract from its SFTP server (embedded MINA SSHD) to the services that take extracts:
 * each receives one file holding only its profile's columns and the rows it may have; a malformed row is parked and
 * the file is partial; a file whose header does not match the mapping goes to the failed folder with the column named.
 */
class ExtractCsvTest {

    private static final String VALID_A = "9434765919";
    private static final String VALID_B = "4010232137";
    private static final String FORMAT = """
              type: csv
              delimiter: ","
              charset: UTF-8
              columns: [nhs_number, record_type, surname, date_of_birth, postcode]
              nhsNumberColumn: nhs_number
              recordTypeColumn: record_type
              dates:
                date_of_birth: yyyy-MM-dd
            """;

    @TempDir
    Path root;

    private PracticeServer practice;
    private TestEngine engine;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (practice != null) {
            practice.close();
        }
    }

    private void start() throws Exception {
        practice = PracticeServer.start(root.resolve("practice"));
        TestEngine te = new TestEngine(root.resolve("engine"))
                .profile("gp-direct", """
                        description: direct care; no surname
                        extractColumns:
                          nhs_number: keep
                          record_type: keep
                          date_of_birth: keep
                        """)
                .profile("analytics", """
                        description: counts by district; no identifier
                        extractColumns:
                          record_type: keep
                          postcode: outward-code
                        """)
                .service("gp-direct.yaml", """
                        id: gp-direct
                        description: direct care team
                        subscribe:
                          extracts:
                            recordTypes: [REG]
                        governance:
                          consent: opt-out
                          unverifiedNhsNumber: hold
                        endpoint:
                          folder:
                            path: out/gp-direct
                        """)
                .service("analytics.yaml", """
                        id: analytics
                        description: district counts
                        subscribe:
                          extracts:
                            recordTypes: [REG]
                        governance:
                          consent: opt-out
                          unverifiedNhsNumber: send
                        endpoint:
                          folder:
                            path: out/analytics
                        """);
        engine = practice.configure(te, "  move: done\n", "*.csv", FORMAT).start();
    }

    @Test
    void eachServiceGetsOneFileWithOnlyItsColumnsAndAMalformedRowIsParked() throws Exception {
        start();
        String csv = "nhs_number,record_type,surname,date_of_birth,postcode\r\n"
                + VALID_A + ",REG,SMITHSON,1980-03-15,L9 7AL\r\n"
                + VALID_B + ",REG,JONESWORTH,1975-11-02,L20 3AB\r\n"
                + VALID_A + ",REG,SMITHSON\r\n";
        practice.drop("registrations-0001.csv", csv.getBytes(StandardCharsets.UTF_8));

        await("file done on the server").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/registrations-0001.csv")));
        await("one file for each service").atMost(Duration.ofSeconds(30)).until(() ->
                csvFilesIn(engine.folderOut("gp-direct")).size() == 1
                        && csvFilesIn(engine.folderOut("analytics")).size() == 1);

        List<String> direct = Files.readAllLines(csvFilesIn(engine.folderOut("gp-direct")).get(0));
        assertThat(direct).containsExactly("nhs_number,record_type,date_of_birth",
                VALID_A + ",REG,1980-03-15", VALID_B + ",REG,1975-11-02");
        List<String> analytics = Files.readAllLines(csvFilesIn(engine.folderOut("analytics")).get(0));
        assertThat(analytics).containsExactly("record_type,postcode", "REG,L9", "REG,L20");
        assertThat(String.join("\n", direct) + String.join("\n", analytics)).as("the surname goes to nobody")
                .doesNotContain("SMITHSON").doesNotContain("JONESWORTH");

        assertThat(PracticeServer.claims(engine.engine().dataSource()))
                .containsExactly("registrations-0001.csv PARTIAL 3/2/1");
        assertThat(PracticeServer.auditDetails(engine.engine().dataSource(), "FILE_PARTIAL")).singleElement()
                .asString().contains("registrations-0001.csv line 4").doesNotContain("SMITHSON");
    }

    @Test
    void aMalformedRowIsInTheMessageHistoryAndSupportCorrectsAndReplaysIt() throws Exception {
        start();
        String csv = "nhs_number,record_type,surname,date_of_birth,postcode\r\n"
                + VALID_A + ",REG,SMITHSON,1980-03-15,L9 7AL\r\n"
                + VALID_B + ",REG,JONESWORTH\r\n";
        practice.drop("registrations-0005.csv", csv.getBytes(StandardCharsets.UTF_8));
        await("file done on the server").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/registrations-0005.csv")));
        await().atMost(Duration.ofSeconds(30)).until(() -> csvFilesIn(engine.folderOut("gp-direct")).size() == 1);

        new org.ilinks.admin.UserStore(engine.engine().dataSource()).create(new org.ilinks.admin.AdminUser("bea",
                org.ilinks.admin.PasswordHash.of("bea-password-1"), java.util.Set.of(org.ilinks.admin.Role.SUPPORT,
                org.ilinks.admin.Role.BODY), false, false, java.time.Instant.now()));
        org.ilinks.support.AdminClient api = new org.ilinks.support.AdminClient(engine);
        String bea = api.login("bea", "bea-password-1");
        var parked = org.ilinks.support.AdminClient.json(api.get("/api/messages?status=parked", bea))
                .get("messages");
        assertThat(parked).hasSize(1);
        String id = parked.get(0).get("messageId").asText();
        assertThat(parked.get(0).get("controlId").asText()).isEqualTo("registrations-0005.csv#3");
        assertThat(parked.get(0).get("sendingFacility").asText()).isEqualTo("N81013");
        String row = api.get("/api/messages/" + id + "/content?purpose=INC-5", bea).body();
        assertThat(row).contains("nhs_number,record_type").contains(VALID_B + ",REG,JONESWORTH");

        String corrected = "nhs_number,record_type,surname,date_of_birth,postcode\n"
                + VALID_B + ",REG,JONESWORTH,1975-11-02,L20 3AB\n";
        var started = api.post("/api/messages/" + id + "/edit-and-replay", "{\"reason\":\"INC-5 practice sent the "
                + "rest by phone\",\"purpose\":\"INC-5\",\"content\":" + org.ilinks.support.AdminClient.quote(corrected)
                + "}", bea);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String jobId = org.ilinks.support.AdminClient.json(started).get("jobId").asText();
        await("the replay done").atMost(Duration.ofSeconds(20)).until(() -> org.ilinks.support.AdminClient.json(
                api.get("/api/replay/" + jobId, bea)).get("state").asText().equals("DONE"));
        var item = org.ilinks.support.AdminClient.json(api.get("/api/replay/" + jobId, bea)).get("items").get(0);
        assertThat(item.get("outcome").asText()).as(item.toString()).isEqualTo("QUEUED");

        await("the corrected row delivered to each service").atMost(Duration.ofSeconds(30)).until(() ->
                csvFilesIn(engine.folderOut("gp-direct")).size() == 2
                        && csvFilesIn(engine.folderOut("analytics")).size() == 2);
        String direct = String.join("\n", Files.readAllLines(csvFilesIn(engine.folderOut("gp-direct")).stream()
                .filter(f -> f.getFileName().toString().contains("replay")).findFirst().orElseThrow()));
        assertThat(direct).isEqualTo("nhs_number,record_type,date_of_birth\n" + VALID_B + ",REG,1975-11-02");
        assertThat(org.ilinks.support.AdminClient.json(api.get("/api/messages/" + id, bea)).get("routing").asText())
                .as("no longer parked").isEqualTo("ROUTED");
        String again = org.ilinks.support.AdminClient.json(api.post("/api/replay", "{\"ids\":[\"" + id
                + "\"],\"reason\":\"again\"}", bea)).get("jobId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> org.ilinks.support.AdminClient.json(
                api.get("/api/replay/" + again, bea)).get("state").asText().equals("DONE"));
        assertThat(org.ilinks.support.AdminClient.json(api.get("/api/replay/" + again, bea)).get("items").get(0)
                .get("detail").asText()).as("a row replayed once is not sent again").contains("no longer parked");
    }

    @Test
    void aFileWhoseHeaderDoesNotMatchTheMappingGoesToTheFailedFolderNamingTheColumn() throws Exception {
        start();
        String csv = "nhs_number,record_type,family_name,date_of_birth,postcode\r\n"
                + VALID_A + ",REG,SMITHSON,1980-03-15,L9 7AL\r\n";
        practice.drop("registrations-0002.csv", csv.getBytes(StandardCharsets.UTF_8));

        await("file failed").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("failed/registrations-0002.csv")));
        String reason = Files.readString(practice.root().resolve("failed/registrations-0002.csv.reason.txt"));
        assertThat(reason).contains("surname").doesNotContain("SMITHSON").doesNotContain(VALID_A);
        assertThat(PracticeServer.claims(engine.engine().dataSource()))
                .containsExactly("registrations-0002.csv FAILED 0/0/0");
        assertThat(csvFilesIn(engine.folderOut("gp-direct"))).isEmpty();
        assertThat(csvFilesIn(engine.folderOut("analytics"))).isEmpty();
    }

    private static List<Path> csvFilesIn(Path folder) throws java.io.IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    @Test
    void aFileNotInItsDeclaredEncodingGoesToTheFailedFolderNamingTheLine() throws Exception {
        start();
        byte[] latin1 = ("nhs_number,record_type,surname,date_of_birth,postcode\r\n"
                + VALID_A + ",REG,M\u00dcLLER,1980-03-15,L9 7AL\r\n").getBytes(StandardCharsets.ISO_8859_1);
        practice.drop("registrations-0004.csv", latin1);

        await("file failed").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("failed/registrations-0004.csv")));
        String reason = Files.readString(practice.root().resolve("failed/registrations-0004.csv.reason.txt"));
        assertThat(reason).contains("UTF-8").contains("line 2").doesNotContain("LLER").doesNotContain(VALID_A);
        assertThat(csvFilesIn(engine.folderOut("gp-direct"))).isEmpty();
    }

    @Test
    void aFailureBetweenQueueingAndCompletingTheClaimDeliversNoServiceFileTwice() throws Exception {
        start();
        // The fault: the database refuses to complete any claim, after the file's outputs are queued (committed).
        execute("ALTER TABLE extract_file ADD CONSTRAINT test_fault CHECK (state = 'CLAIMED')");
        String csv = "nhs_number,record_type,surname,date_of_birth,postcode\r\n"
                + VALID_A + ",REG,SMITHSON,1980-03-15,L9 7AL\r\n";
        practice.drop("registrations-0003.csv", csv.getBytes(StandardCharsets.UTF_8));
        await("processed, and processed again by the next polls").atMost(Duration.ofSeconds(60)).until(() ->
                count("SELECT COUNT(*) FROM audit_event WHERE type = 'FILE_RECEIVED'") >= 3);
        execute("ALTER TABLE extract_file DROP CONSTRAINT test_fault");

        await("file done").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(practice.root().resolve("done/registrations-0003.csv")));
        Thread.sleep(1000); // a second copy would be delivered by now
        assertThat(engine.engine().counters().deliveredByService().getOrDefault("gp-direct", 0L)).as("one file delivered, once").isEqualTo(1);
        assertThat(engine.engine().counters().deliveredByService().getOrDefault("analytics", 0L)).isEqualTo(1);
        assertThat(PracticeServer.claims(engine.engine().dataSource()))
                .containsExactly("registrations-0003.csv DONE 1/1/0");
    }

    private void execute(String sql) throws Exception {
        try (var c = engine.engine().dataSource().getConnection(); var s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (var c = engine.engine().dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
