package org.ilinks.support;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** Captures every log line written while it is open (all loggers, all levels), with stack traces. */
public final class LogCapture implements AutoCloseable {

    private final StringWriter lines = new StringWriter();
    private final WriterAppender appender;
    private final LoggerContext context;
    private final Level rootLevel;

    public LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        appender = WriterAppender.newBuilder()
                .setName("capture-" + System.nanoTime())
                .setTarget(lines)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c{1} %msg%n%throwable").build())
                .build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        for (LoggerConfig lc : config.getLoggers().values()) {
            if (lc != root) {
                lc.addAppender(appender, Level.ALL, null);
            }
        }
        context.updateLoggers();
    }

    public String text() {
        return lines.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (LoggerConfig lc : config.getLoggers().values()) {
            lc.removeAppender(appender.getName());
        }
        config.getRootLogger().removeAppender(appender.getName());
        config.getRootLogger().setLevel(rootLevel);
        context.updateLoggers();
        appender.stop();
    }
}
