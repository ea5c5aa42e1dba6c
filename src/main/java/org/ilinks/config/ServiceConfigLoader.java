package org.ilinks.config;
import java.util.*;
public final class ServiceConfigLoader { public static List<ServiceDefinition> load(Settings s) throws InvalidConfigException { return List.of(); } }
