package org.ilinks.config;
import java.util.Set;
public final class KnownBeans { public static final Set<String> NAMES = Set.of(); }
