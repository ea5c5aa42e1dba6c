package org.ilinks.governance.minimise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes profile files and key files into a test's temporary profiles folder and loads them for real. */
final class ProfileFiles {

    static final String TEST_KEY = "test-only-secret-not-for-production-0001";

    private ProfileFiles() {
    }

    static Path write(Path folder, String name, String text) {
        try {
            Path file = folder.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commented example profile and its key, copied into {@code folder}. */
    static Path copyExample(Path folder) {
        write(folder, "keys/example.key", resource("/profiles/keys/example.key"));
        return write(folder, "example-service.yaml", resource("/profiles/example-service.yaml"));
    }

    static MinimisationProfile load(Path file) {
        ProfileLoader.LoadedProfile loaded = new ProfileLoader(name -> null).load(file);
        if (!loaded.problems().isEmpty()) {
            throw new AssertionError("profile has problems: " + loaded.problems());
        }
        return loaded.profile().orElseThrow();
    }

    static String resource(String name) {
        try (InputStream in = ProfileFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
