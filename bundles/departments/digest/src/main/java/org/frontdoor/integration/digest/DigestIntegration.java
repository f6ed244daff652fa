package org.frontdoor.integration.digest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationStatus;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.integration.support.Integrations;
import org.frontdoor.integration.support.Secrets;
import org.frontdoor.integration.support.Tracker;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One department's e-mail digest. Every {@code intervalMinutes} it reads the department's unresolved conversations
 * (queued and assigned) through the {@link Inbox} and mails the list; its events consumer
 * {@code integration.digest-<name>} marks the conversations routed or transferred into the department since the
 * last digest as new. A digest is a snapshot: one that could not be sent is tried at the next interval with what is
 * true then, and the conversations marked new stay marked until a digest naming them went out.
 */
@Component(configurationPid = DigestIntegration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = DigestConfig.class, factory = true)
public class DigestIntegration {

    static final String KIND = "digest";
    static final String FACTORY_PID = Integrations.PID_PREFIX + KIND;
    private static final Logger LOG = LoggerFactory.getLogger(DigestIntegration.class);

    private final String name;
    private final String consumer;
    private final CamelContext camel;
    private final Tracker tracker;
    private final Inbox inbox;
    private final Clock clock;
    private final String department;
    private final int limit;
    private final Set<Long> fresh = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final ServiceRegistration<IntegrationStatus> registration;
    private Session session;
    private InternetAddress from;
    private InternetAddress[] to;
    private String username;
    private String password;
    private String smtpHost;
    private int smtpPort;

    @Activate
    public DigestIntegration(BundleContext context, DigestConfig config, Map<String, Object> properties,
                             @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                             @Reference Inbox inbox) throws Exception {
        this(context, config, properties, new OsgiDefaultCamelContext(context), inbox, Secrets.environment(),
                Clock.systemUTC(), true);
    }

    /** @param schedule false in tests, which call {@link #sendNow()} */
    DigestIntegration(BundleContext context, DigestConfig config, Map<String, Object> properties, CamelContext camel,
                      Inbox inbox, Function<String, String> env, Clock clock, boolean schedule) throws Exception {
        String instance = Integrations.instanceName(KIND, config.instance(), properties);
        this.name = KIND + "-" + instance;
        this.camel = camel;
        this.inbox = inbox;
        this.clock = clock;
        this.limit = Math.max(1, Math.min(ConversationQuery.MAX_LIMIT, config.limit()));
        this.consumer = Integrations.consumerName(KIND, instance);
        String source = FactoryConfigurations.source(properties);
        String dept = null;
        String problem = null;
        try {
            dept = Integrations.department(config.department());
            if (dept == null) {
                throw new IllegalArgumentException("no department: a digest is about one department; set it in "
                        + source);
            }
            setUpMail(config, source, env);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.department = dept;
        this.tracker = new Tracker(name, KIND, consumer, department,
                smtpHost == null ? null : "smtp://" + smtpHost + ":" + smtpPort, clock);
        if (problem == null) {
            Integrations.start(camel, name, Integrations.eventsUri(consumer, "routed,transferred", department,
                    config.start()), this::mark);
            timer = schedule ? Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "frontdoor-" + name);
                t.setDaemon(true);
                t.setContextClassLoader(DigestIntegration.class.getClassLoader());
                return t;
            }) : null;
            if (timer != null) {
                timer.scheduleWithFixedDelay(this::sendQuietly, config.intervalMinutes(), config.intervalMinutes(),
                        TimeUnit.MINUTES);
            }
            LOG.info("E-mail digest {} of {} every {} min through {}:{} (consumer {})", name, department,
                    config.intervalMinutes(), smtpHost, smtpPort, consumer);
        } else {
            timer = null;
            tracker.failed(problem);
            LOG.error("E-mail digest {} does not run: {}", name, problem);
        }
        this.registration = context == null ? null : Integrations.register(context, name, tracker);
    }

    private void setUpMail(DigestConfig config, String source, Function<String, String> env) {
        if (config.smtpHost() == null || config.smtpHost().isBlank()) {
            throw new IllegalArgumentException("smtpHost is not set in " + source);
        }
        try {
            from = new InternetAddress(config.from(), true);
            to = InternetAddress.parse(config.to(), true);
        } catch (MessagingException | NullPointerException e) {
            throw new IllegalArgumentException("from and to must be e-mail addresses (to: comma separated) in "
                    + source);
        }
        if (to.length == 0) {
            throw new IllegalArgumentException("to names no recipient in " + source);
        }
        String security = config.smtpSecurity().trim().toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("starttls", "tls", "none").contains(security)) {
            throw new IllegalArgumentException("smtpSecurity must be starttls, tls or none in " + source);
        }
        smtpHost = config.smtpHost().trim();
        smtpPort = config.smtpPort();
        username = config.smtpUsername().isBlank() ? null : config.smtpUsername().trim();
        password = Secrets.resolve(config.smtpPassword(), config.smtpPasswordEnv(), config.smtpPasswordFile(), source,
                env).value();
        String protocol = security.equals("tls") ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "host", smtpHost);
        p.put(prefix + "port", Integer.toString(smtpPort));
        p.put(prefix + "auth", Boolean.toString(username != null));
        String millis = Integer.toString(config.timeoutSeconds() * 1000);
        p.put(prefix + "connectiontimeout", millis);
        p.put(prefix + "timeout", millis);
        p.put(prefix + "writetimeout", millis);
        if (security.equals("starttls")) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        if (security.equals("tls")) {
            p.put(prefix + "ssl.checkserveridentity", "true");
        }
        session = withMailLoader(() -> Session.getInstance(p));
    }

    /** The events route: a conversation routed or transferred into the department is new until a digest names it. */
    private void mark(Exchange exchange) throws Exception {
        ConversationEvent event = exchange.getMessage().getMandatoryBody(ConversationEvent.class);
        if (department.equals(event.department())) {
            fresh.add(event.conversationId());
        } else {
            fresh.remove(event.conversationId()); // transferred out of it
        }
    }

    private void sendQuietly() {
        try {
            sendNow();
        } catch (Exception e) {
            // the reason is in the status already; the next interval tries again
            LOG.warn("E-mail digest {} not sent: {}", name, e.getMessage());
        }
    }

    /**
     * Sends the digest now, when there is anything unresolved; returns whether a mail went out.
     *
     * @throws MessagingException when the SMTP server did not take it (the status shows why)
     */
    boolean sendNow() throws MessagingException {
        List<ConversationSummary> unresolved = new ArrayList<>();
        long total = 0;
        Caller caller = Caller.system(consumer);
        for (ConversationStatus status : List.of(ConversationStatus.QUEUED, ConversationStatus.ASSIGNED)) {
            Page<ConversationSummary> page = inbox.conversations(caller,
                    new ConversationQuery(status, department, null, 0, limit));
            unresolved.addAll(page.items());
            total += page.total();
        }
        if (total == 0) {
            fresh.clear();
            return false;
        }
        unresolved.sort(Comparator.comparing(ConversationSummary::id));
        if (unresolved.size() > limit) {
            unresolved = new ArrayList<>(unresolved.subList(0, limit));
        }
        Instant now = clock.instant();
        Set<Long> named = Set.copyOf(fresh);
        Digest digest = Digest.of(department, unresolved, named, total, now);
        String deliveryId = consumer + ":" + now.getEpochSecond();
        try {
            withMailLoader(() -> {
                MimeMessage mail = new MimeMessage(session);
                mail.setFrom(from);
                mail.setRecipients(Message.RecipientType.TO, to);
                mail.setSubject(digest.subject(), "UTF-8");
                mail.setText(digest.body(), "UTF-8");
                mail.setHeader("X-Frontdoor-Delivery", deliveryId);
                mail.setSentDate(java.util.Date.from(now));
                try (Transport transport = session.getTransport()) {
                    if (username != null) {
                        transport.connect(smtpHost, smtpPort, username, password);
                    } else {
                        transport.connect();
                    }
                    transport.sendMessage(mail, mail.getAllRecipients());
                }
                return null;
            });
        } catch (IllegalStateException wrapped) {
            String reason = wrapped.getCause() instanceof AuthenticationFailedException
                    ? "the SMTP server at " + smtpHost + ":" + smtpPort + " refused the login of " + username
                    : "the SMTP server at " + smtpHost + ":" + smtpPort + " did not take the digest: "
                            + (wrapped.getCause() == null ? wrapped.getMessage() : wrapped.getCause().getMessage());
            tracker.failed(reason);
            throw new MessagingException(reason);
        }
        fresh.removeAll(named);
        tracker.delivered();
        return true;
    }

    private static <T> T withMailLoader(java.util.concurrent.Callable<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DigestIntegration.class.getClassLoader());
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    IntegrationStatus status() {
        return tracker;
    }

    @Deactivate
    void deactivate() throws Exception {
        Integrations.unregister(registration);
        if (timer != null) {
            timer.shutdownNow();
        }
        camel.stop();
        LOG.info("E-mail digest {} stopped", name);
    }
}
