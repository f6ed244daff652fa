package org.frontdoor.channel.api;

import java.lang.annotation.Annotation;
import java.util.Dictionary;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Builds real {@link ApiInstance}s for tests, with a bundle context that only takes registrations. */
final class Instances {

    private Instances() {
    }

    static ApiInstance instance(String name, String secret, String callbackUrl) {
        return new ApiInstance(registeringOnly(), config(secret, callbackUrl, 1024),
                Map.of("service.pid", ApiInstance.FACTORY_PID + "~" + name));
    }

    static ApiChannelConfig config(String secret, String callbackUrl, int maxBodyBytes) {
        return config(secret, false, callbackUrl, maxBodyBytes);
    }

    static ApiChannelConfig config(String secret, boolean generateSecret, String callbackUrl, int maxBodyBytes) {
        return config(secret, generateSecret, callbackUrl, maxBodyBytes, 5);
    }

    static ApiChannelConfig config(String secret, boolean generateSecret, String callbackUrl, int maxBodyBytes,
                                   int callbackTimeoutSeconds) {
        return new ApiChannelConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ApiChannelConfig.class;
            }

            @Override
            public String instance() {
                return "";
            }

            @Override
            public String secret() {
                return secret;
            }

            @Override
            public boolean generateSecret() {
                return generateSecret;
            }

            @Override
            public String callbackUrl() {
                return callbackUrl;
            }

            @Override
            public long maxSkewSeconds() {
                return 300;
            }

            @Override
            public int maxBodyBytes() {
                return maxBodyBytes;
            }

            @Override
            public int callbackTimeoutSeconds() {
                return callbackTimeoutSeconds;
            }

            @Override
            public int authRetrySeconds() {
                return 300;
            }
        };
    }

    /** A BundleContext whose only working method is registerService(Class, S, Dictionary). */
    @SuppressWarnings("unchecked")
    static BundleContext registeringOnly() {
        return (BundleContext) java.lang.reflect.Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        if (!"api".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return java.lang.reflect.Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
