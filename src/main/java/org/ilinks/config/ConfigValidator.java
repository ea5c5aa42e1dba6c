package org.ilinks.config;
import java.util.*;
public final class ConfigValidator { public static List<ConfigProblem> validate(Settings s, Set<String> b) { return List.of(); } }
