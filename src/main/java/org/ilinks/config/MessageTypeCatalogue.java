package org.ilinks.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The HL7 v2.6 message types and trigger events HAPI knows: the message structure classes in
 * {@code ca.uhn.hl7v2.model.v26.message} plus the events HAPI maps onto a shared structure (its eventmap).
 * A subscription to anything else is an analyst's typo that would silently never match.
 */
final class MessageTypeCatalogue {

    private static final String MESSAGE_PACKAGE = "ca/uhn/hl7v2/model/v26/message/";
    private static final String EVENT_MAP = "ca/uhn/hl7v2/parser/eventmap/2.6.properties";

    /** Upper-case {@code TYPE_TRIGGER} (e.g. {@code ADT_A04}) and bare types without triggers (e.g. {@code ACK}). */
    private static volatile Set<String> known;

    private MessageTypeCatalogue() {
    }

    /** {@code ADT^A01}: a known type and trigger. */
    static boolean isKnown(String type, String trigger) {
        Set<String> names = names();
        String t = type.toUpperCase(Locale.ROOT);
        // ACK and similar general messages have no structure per trigger: they echo the trigger they answer.
        return names.contains(t + "_" + trigger.toUpperCase(Locale.ROOT)) || names.contains(t);
    }

    /** {@code ADT^*}: a type that has at least one known trigger. */
    static boolean isKnownType(String type) {
        String t = type.toUpperCase(Locale.ROOT);
        return names().stream().anyMatch(n -> n.equals(t) || n.startsWith(t + "_"));
    }

    private static Set<String> names() {
        Set<String> result = known;
        if (result == null) {
            Set<String> names = new HashSet<>();
            addStructureClasses(names);
            addEventMap(names);
            result = Collections.unmodifiableSet(names);
            known = result;
        }
        return result;
    }

    private static void addEventMap(Set<String> names) {
        try (InputStream in = MessageTypeCatalogue.class.getClassLoader().getResourceAsStream(EVENT_MAP)) {
            if (in == null) {
                throw new IllegalStateException("HAPI's v2.6 event map is not on the classpath: " + EVENT_MAP);
            }
            Properties map = new Properties();
            map.load(in);
            map.stringPropertyNames().forEach(k -> names.add(k.toUpperCase(Locale.ROOT)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read HAPI's v2.6 event map", e);
        }
    }

    private static void addStructureClasses(Set<String> names) {
        URL anchor = MessageTypeCatalogue.class.getClassLoader().getResource(MESSAGE_PACKAGE + "ACK.class");
        if (anchor == null) {
            throw new IllegalStateException("hapi-structures-v26 is not on the classpath");
        }
        try {
            URLConnection connection = anchor.openConnection();
            if (connection instanceof JarURLConnection jar) {
                try (JarFile file = new JarFile(jar.getJarFileURL().toURI().getPath())) {
                    Enumeration<JarEntry> entries = file.entries();
                    while (entries.hasMoreElements()) {
                        addIfMessageClass(entries.nextElement().getName(), names);
                    }
                }
            } else {
                Path dir = Path.of(anchor.toURI()).getParent();
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(f -> addIfMessageClass(MESSAGE_PACKAGE + f.getFileName(), names));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list HAPI's v2.6 message structures", e);
        }
    }

    private static void addIfMessageClass(String entry, Set<String> names) {
        if (entry.startsWith(MESSAGE_PACKAGE) && entry.endsWith(".class")) {
            String name = entry.substring(MESSAGE_PACKAGE.length(), entry.length() - ".class".length());
            if (!name.contains("/") && !name.contains("$")) {
                names.add(name.toUpperCase(Locale.ROOT));
            }
        }
    }
}
