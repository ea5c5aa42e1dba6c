package org.ilinks.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;

/**
 * The single holder of HAPI HL7v2 state for the whole engine.
 *
 * <p>Everything that needs HAPI (parsing a message into a model, re-reading an ACK) must go
 * through {@link #parser()} rather than creating its own {@link HapiContext}: a context builds
 * class caches and model factories on first use, which is expensive, and several contexts with
 * different settings would make the engine parse the same message differently in different
 * places.
 */
public final class Hl7Context {

    /** The only version whose structures we ship (hapi-structures-v26). */
    public static final String MODEL_VERSION = "2.6";

    private static final HapiContext CONTEXT = createContext();

    // PipeParser keeps no per-parse state once configured, so one instance serves all threads.
    private static final PipeParser PARSER = CONTEXT.getPipeParser();

    private Hl7Context() {
    }

    /** @return the engine-wide, thread-safe, non-validating pipe parser */
    public static PipeParser parser() {
        return PARSER;
    }

    /** @return the engine-wide HAPI context (for callers that need more than the parser) */
    public static HapiContext context() {
        return CONTEXT;
    }

    private static HapiContext createContext() {
        DefaultHapiContext context = new DefaultHapiContext();
        // HAPI's default validation rules reject values that are ordinary in UK feeds, e.g. UK
        // phone numbers in XTN fields and free-text dates; the inspector decides acceptance, not HAPI.
        context.setValidationContext(ValidationContextFactory.noValidation());
        ParserConfiguration configuration = new ParserConfiguration();
        configuration.setValidating(false);
        // Versions outside HAPI's list (e.g. 2.8.2, local variants) must still parse rather than fail.
        configuration.setAllowUnknownVersions(true);
        context.setParserConfiguration(configuration);
        // We only ship the v2.6 structures; the canonical factory maps every version onto them,
        // which v2.6 can represent because later versions are backward compatible.
        context.setModelClassFactory(new CanonicalModelClassFactory(MODEL_VERSION));
        return context;
    }
}
