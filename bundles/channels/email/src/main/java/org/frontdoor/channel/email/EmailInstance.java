package org.frontdoor.channel.email;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCheck;
import org.frontdoor.api.CheckReport;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.SecretFile;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
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
 * One mailbox (a factory configuration): its IMAP receiver and its SMTP sender, registered as a {@link Channel}
 * with {@code frontdoor.channel=email} and {@code frontdoor.instance=<name>}, also while it cannot work (DOWN with
 * the reason), so the console shows what to fix and replies wait; replies wait only while sending cannot work.
 */
@Component(configurationPid = EmailInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = EmailChannelConfig.class, factory = true)
public class EmailInstance implements Channel, ChannelCheck, ImapReceiver.Health {

    static final String FACTORY_PID = "org.frontdoor.channel.email";
    private static final Logger LOG = LoggerFactory.getLogger(EmailInstance.class);

    private final MailSettings settings;
    private final boolean replyAll;
    /** This mailbox's addresses, never copied on a reply to all. */
    private final Set<String> ownAddresses;
    private final Inbox inbox;
    private final Clock clock;
    private final SmtpSender sender;
    private final ImapReceiver receiver;
    private final SmtpListener listener;
    private final String listenerProblem;
    private final String smtpProblem;
    private final AtomicReference<ChannelHealth> imapHealth = new AtomicReference<>();
    private final AtomicReference<ChannelHealth> smtpHealth = new AtomicReference<>();
    private final ServiceRegistration<Channel> registration;

    @Activate
    public EmailInstance(BundleContext context, EmailChannelConfig config, Map<String, Object> properties,
                         @Reference EmailChannelRuntime runtime, @Reference Blobs blobs, @Reference Inbox inbox) {
        this(context, config, properties, runtime::ingest, blobs, inbox, Clock.systemUTC(),
                Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "secrets"));
    }

    /** @param secretsDir where a generated Message-ID key is kept (tests give a temporary directory) */
    EmailInstance(BundleContext context, EmailChannelConfig config, Map<String, Object> properties,
                  Function<Message, CompletableFuture<IngestReceipt>> ingest, Blobs blobs, Inbox inbox, Clock clock,
                  Path secretsDir) {
        this.clock = clock;
        this.inbox = inbox;
        String instance = instanceName(config.instance(), properties);
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.settings = MailSettings.of(instance, source(properties), config);
        this.replyAll = config.replyAll();
        Set<String> own = new HashSet<>();
        for (String address : MailSettings.types(config.smtpListenerRecipients())) {
            own.add(address.toLowerCase(Locale.ROOT));
        }
        for (String address : List.of(settings.fromAddress(), settings.username(), settings.smtpUsername())) {
            if (address.contains("@")) {
                own.add(address.toLowerCase(Locale.ROOT));
            }
        }
        this.ownAddresses = Set.copyOf(own);
        String imapProblem = settings.imapProblem();
        byte[] messageIdKey = null;
        String keyProblem = null;
        if (config.messageIdSecret() != null && !config.messageIdSecret().isBlank()) {
            messageIdKey = config.messageIdSecret().getBytes(StandardCharsets.UTF_8);
        } else {
            Path file = SecretFile.of(secretsDir, MailReader.CHANNEL, instance).toAbsolutePath();
            try {
                SecretFile.Read read = SecretFile.readOrGenerate(file);
                messageIdKey = read.value().getBytes(StandardCharsets.UTF_8);
                if (read.generated()) {
                    LOG.info("E-mail channel instance {} generated its Message-ID key into {} (readable by its owner "
                            + "only); other nodes sending for it need the same file or 'messageIdSecret'", instance,
                            file);
                }
            } catch (IOException e) {
                keyProblem = "no usable Message-ID key: " + e.getMessage() + "; or set 'messageIdSecret' in "
                        + settings.source();
            }
        }
        this.smtpProblem = settings.smtpProblem() != null ? settings.smtpProblem() : keyProblem;
        Instant now = clock.instant();
        imapHealth.set(imapProblem == null ? new ChannelHealth(Status.DOWN, "connecting to the IMAP server at "
                + settings.imapHost() + ":" + settings.imapPort(), now) : new ChannelHealth(Status.DOWN, imapProblem, now));
        smtpHealth.set(smtpProblem == null ? new ChannelHealth(Status.UP, null, now)
                : new ChannelHealth(Status.DOWN, smtpProblem, now));
        this.sender = smtpProblem == null ? new SmtpSender(settings, messageIdKey) : null;
        MailReader reader = new MailReader(instance, blobs, settings.maxRawBytes(), settings.maxAttachmentBytes(),
                settings.allowedAttachmentTypes(), settings.authservId());
        this.receiver = imapProblem == null ? new ImapReceiver(settings, reader, ingest, this) : null;
        if (imapProblem != null) {
            LOG.error("E-mail channel instance {} cannot read its mailbox: {}", instance, imapProblem);
        }
        if (smtpProblem != null) {
            LOG.error("E-mail channel instance {} cannot send replies: {}", instance, smtpProblem);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, MailReader.CHANNEL);
        serviceProperties.put(Channel.INSTANCE, instance);
        this.registration = context == null ? null : context.registerService(Channel.class, this, serviceProperties);
        if (receiver != null) {
            receiver.start();
        }
        SmtpListener started = null;
        String problem = null;
        if (config.smtpListenerPort() > 0) {
            List<String> recipients = MailSettings.types(config.smtpListenerRecipients());
            if (recipients.isEmpty() && !settings.fromAddress().isEmpty()) {
                recipients = List.of(settings.fromAddress());
            }
            String where = config.smtpListenerHost() + ":" + config.smtpListenerPort();
            try {
                started = new SmtpListener(config.smtpListenerHost(), config.smtpListenerPort(),
                        Set.copyOf(recipients), config.smtpListenerMaxBytes(),
                        settings.ingestTimeoutSeconds(), instance, reader, ingest);
                started.start();
                LOG.info("E-mail channel instance {} takes mail for {} by SMTP on {}", instance, recipients, where);
            } catch (IOException | RuntimeException e) {
                started = null;
                problem = "the SMTP listener cannot listen on " + where + " (" + ImapReceiver.what(e)
                        + "): change 'smtpListenerHost' or 'smtpListenerPort' in " + settings.source();
                LOG.error("E-mail channel instance {}: {}", instance, problem);
            }
        }
        this.listener = started;
        this.listenerProblem = problem;
        if (sender != null && config.smtpCheckOnStart()) {
            Thread check = new Thread(this::checkSmtp, "frontdoor-email-" + instance + "-smtp-check");
            check.setDaemon(true);
            check.start();
        }
    }

    @Deactivate
    void deactivate() {
        if (listener != null) {
            listener.stop();
        }
        if (receiver != null) {
            receiver.stop();
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and took the registration with it
            }
        }
        LOG.info("E-mail channel instance {} removed", settings.instance());
    }

    static String instanceName(String explicit, Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "channel");
    }

    /** Where the configuration came from, as an admin names it: etc/<file>.cfg, else the configuration's PID. */
    static String source(Map<String, Object> properties) {
        String source = FactoryConfigurations.source(properties);
        int slash = source.lastIndexOf('/');
        return source.endsWith(".cfg") && slash >= 0 ? "etc/" + source.substring(slash + 1) : source;
    }

    @Override
    public String id() {
        return MailReader.CHANNEL;
    }

    @Override
    public String instance() {
        return settings.instance();
    }

    @Override
    public ChannelCapabilities capabilities() {
        // private replies of any length, plain text, threaded; no attachments in replies yet
        return ChannelCapabilities.plainPrivate();
    }

    /**
     * The door's health by direction: the sending side decides the status core holds replies on (DOWN, AUTH_EXPIRED);
     * a receiving side that is not UP while sending works makes the door DEGRADED. Each reason says its direction:
     * "sending: ..." and "receiving: ...".
     */
    @Override
    public ChannelHealth health() {
        ChannelHealth receiving = receiving();
        ChannelHealth sending = sending();
        if (sending.status() == Status.UP && receiving.status() == Status.UP) {
            return receiving.since().isAfter(sending.since()) ? receiving : sending;
        }
        if (sending.status() == Status.UP) {
            return new ChannelHealth(Status.DEGRADED, "receiving: " + receiving.reason(), receiving.since());
        }
        String reason = "sending: " + sending.reason()
                + (receiving.status() == Status.UP ? "" : "; receiving: " + receiving.reason());
        return new ChannelHealth(sending.status(), reason, sending.since());
    }

    /** How taking mail in is doing: the IMAP receiver, and the SMTP listener when there is one. */
    ChannelHealth receiving() {
        if (listenerProblem != null) {
            return new ChannelHealth(Status.DOWN, listenerProblem, imapHealth.get().since());
        }
        return imapHealth.get();
    }

    /** How sending replies is doing. */
    ChannelHealth sending() {
        ChannelHealth smtp = smtpHealth.get();
        if (smtp.status() == Status.AUTH_EXPIRED
                && !clock.instant().isBefore(smtp.since().plusSeconds(settings.authRetrySeconds()))) {
            // core holds an AUTH_EXPIRED door's replies: only a reply let through can tell the login was fixed
            smtp = new ChannelHealth(Status.DEGRADED, smtp.reason() + "; trying replies again",
                    smtp.since().plusSeconds(settings.authRetrySeconds()));
        }
        return smtp;
    }

    // ImapReceiver.Health

    @Override
    public void imapUp() {
        if (imapHealth.get().status() != Status.UP) {
            imapHealth.set(new ChannelHealth(Status.UP, null, clock.instant()));
        }
    }

    @Override
    public void imapLoginRefused(String reason) {
        ChannelHealth current = imapHealth.get();
        if (current.status() != Status.AUTH_EXPIRED || !reason.equals(current.reason())) {
            LOG.error("E-mail channel instance {}: {}", settings.instance(), reason);
            imapHealth.set(new ChannelHealth(Status.AUTH_EXPIRED, reason, clock.instant()));
        }
    }

    @Override
    public void imapDown(String reason) {
        imapHealth.set(new ChannelHealth(Status.DOWN, reason, clock.instant()));
    }

    @Override
    public void ingestFailing(String reason) {
        imapHealth.set(new ChannelHealth(Status.DEGRADED, reason, clock.instant()));
    }

    // ChannelCheck

    /**
     * Logs in to the IMAP server and opens the folders, then connects to the SMTP server with the EHLO, STARTTLS and
     * AUTH exchange of a send, but sends nothing. The sending side's health follows the SMTP step.
     */
    @Override
    public CheckReport check() {
        List<CheckReport.Step> steps = new java.util.ArrayList<>();
        steps.add(checkImap());
        steps.add(checkSmtp());
        if (listenerProblem != null) {
            steps.add(CheckReport.Step.failed("SMTP listener", listenerProblem));
        } else if (listener != null) {
            steps.add(CheckReport.Step.ok("SMTP listener", "listening on port " + listener.port()));
        }
        CheckReport report = new CheckReport(steps);
        for (CheckReport.Step step : report.steps()) {
            if (step.ok()) {
                LOG.info("E-mail channel instance {} check: {}: {}", settings.instance(), step.what(), step.detail());
            } else {
                LOG.warn("E-mail channel instance {} check: {}: {}", settings.instance(), step.what(), step.detail());
            }
        }
        return report;
    }

    /** Connects to the mailbox again now; a refused SMTP login is tried again at the next reply. */
    @Override
    public void reconnect() {
        LOG.info("E-mail channel instance {}: reconnecting now", settings.instance());
        if (receiver != null) {
            receiver.reconnectNow();
        }
        if (smtpHealth.get().status() == Status.AUTH_EXPIRED && sender != null) {
            checkSmtp();
        }
    }

    CheckReport.Step checkImap() {
        String what = "IMAP login and folder";
        String problem = settings.imapProblem();
        if (problem != null) {
            return CheckReport.Step.failed(what, problem);
        }
        jakarta.mail.Store store = null;
        try {
            jakarta.mail.Session session = settings.imapSession();
            store = MailSettings.withMailLoader(() -> session.getStore(settings.imapProtocol()));
            jakarta.mail.Store connecting = store;
            MailSettings.withMailLoader(() -> {
                connecting.connect(settings.imapHost(), settings.imapPort(), settings.username(),
                        settings.password());
                return null;
            });
            for (String[] folder : new String[][] {{"folder", settings.folder()},
                    {"processedFolder", settings.processedFolder()}}) {
                if (!folder[1].isEmpty() && !store.getFolder(folder[1]).exists()) {
                    return CheckReport.Step.failed(what, "logged in as " + settings.username() + ", but the folder '"
                            + folder[1] + "' does not exist: set '" + folder[0] + "' in " + settings.source()
                            + " to a folder of the mailbox");
                }
            }
            return CheckReport.Step.ok(what, "logged in as " + settings.username() + " at " + settings.imapHost() + ":"
                    + settings.imapPort() + " (" + settings.imapSecurity() + "); folder '" + settings.folder()
                    + "' found");
        } catch (RuntimeException | jakarta.mail.MessagingException e) {
            Throwable failure = e instanceof IllegalStateException && e.getCause() != null ? e.getCause() : e;
            if (failure instanceof jakarta.mail.AuthenticationFailedException) {
                return CheckReport.Step.failed(what, "the IMAP server refused the login of " + settings.username()
                        + " at " + settings.imapHost() + ":" + settings.imapPort() + ": check 'username' and "
                        + "'password' in " + settings.source());
            }
            String explained = MailTrouble.imap(settings, failure);
            return CheckReport.Step.failed(what, explained != null ? explained : "cannot read the mailbox at "
                    + settings.imapHost() + ":" + settings.imapPort() + ": " + ImapReceiver.what(failure));
        } finally {
            if (store != null) {
                try {
                    store.close();
                } catch (jakarta.mail.MessagingException | RuntimeException ignored) {
                    // hanging up anyway
                }
            }
        }
    }

    /** Tries the SMTP login now; the sending side's health follows what it found. */
    CheckReport.Step checkSmtp() {
        String what = "SMTP connect, EHLO and AUTH";
        if (sender == null) {
            return CheckReport.Step.failed(what, smtpProblem);
        }
        try {
            String worked = sender.check();
            if (smtpHealth.get().status() != Status.UP) {
                smtpHealth.set(new ChannelHealth(Status.UP, null, clock.instant()));
            }
            return CheckReport.Step.ok(what, worked);
        } catch (SmtpSender.LoginRefused e) {
            LOG.error("E-mail channel instance {}: {}", settings.instance(), e.getMessage());
            smtpHealth.set(new ChannelHealth(Status.AUTH_EXPIRED, e.getMessage(), clock.instant()));
            return CheckReport.Step.failed(what, e.getMessage());
        } catch (SmtpSender.NotNow e) {
            // DEGRADED, not DOWN: replies are still tried, and the first that goes through makes the door UP again
            LOG.warn("E-mail channel instance {} cannot send: {}", settings.instance(), e.getMessage());
            smtpHealth.set(new ChannelHealth(Status.DEGRADED, e.getMessage(), clock.instant()));
            return CheckReport.Step.failed(what, e.getMessage());
        }
    }

    /** Sends one reply; the exceptions are those {@code frontdoor:outbound} expects. */
    void send(OutboundReply reply) throws Exception {
        if (sender == null) {
            throw new IllegalStateException(smtpProblem);
        }
        SmtpSender.Answered answered = answered(reply);
        if (answered.automatic() != null) {
            throw new ReplyRefusedException("the answered mail was sent by a machine (" + answered.automatic()
                    + "): Frontdoor does not answer automatic mail, so that no mail loop can start");
        }
        try {
            sender.send(reply, answered);
        } catch (SmtpSender.LoginRefused e) {
            LOG.error("E-mail channel instance {}: {}", settings.instance(), e.getMessage());
            smtpHealth.set(new ChannelHealth(Status.AUTH_EXPIRED, e.getMessage(), clock.instant()));
            throw new IllegalStateException(e.getMessage());
        } catch (SmtpSender.NotNow e) {
            smtpHealth.set(new ChannelHealth(Status.DEGRADED, e.getMessage(), clock.instant()));
            throw new IllegalStateException(e.getMessage());
        }
        if (smtpHealth.get().status() != Status.UP) {
            smtpHealth.set(new ChannelHealth(Status.UP, null, clock.instant()));
        }
    }

    /** The answered mail's subject and whether a machine sent it, read back from the conversation. */
    SmtpSender.Answered answered(OutboundReply reply) {
        if (reply.inReplyTo() == null && reply.threadRef() == null) {
            return new SmtpSender.Answered(null, null);
        }
        Optional<ConversationDetail> conversation = inbox.conversation(
                Caller.system("channel-email-" + settings.instance()), reply.conversationId());
        List<MessageView> messages = conversation.map(ConversationDetail::messages).orElse(List.of());
        MessageView answered = messages.stream().filter(m -> m.externalId().equals(reply.inReplyTo())).findFirst()
                .orElse(null);
        String subject = null;
        if (answered != null) {
            subject = annotation(answered, MailReader.SUBJECT);
        }
        if (subject == null) {
            for (MessageView m : messages) {
                String s = annotation(m, MailReader.SUBJECT);
                subject = s != null ? s : subject;
            }
        }
        return new SmtpSender.Answered(subject, answered == null ? null
                : annotation(answered, MailReader.AUTO_SUBMITTED), copied(reply, answered));
    }

    /** replyAll: the answered mail's To and Cc but this mailbox and the customer; none for a forged sender. */
    private List<String> copied(OutboundReply reply, MessageView answered) {
        if (!replyAll || answered == null || annotation(answered, MailReader.SENDER_UNVERIFIED) != null) {
            return List.of();
        }
        String customer = (reply.recipient().email() != null && !reply.recipient().email().isBlank()
                ? reply.recipient().email() : reply.recipient().handle()).toLowerCase(Locale.ROOT);
        List<String> copied = new ArrayList<>();
        for (Annotation a : answered.annotations()) {
            if ((a.name().equals(MailReader.TO) || a.name().equals(MailReader.CC)) && !ownAddresses.contains(a.value())
                    && !a.value().equals(customer) && !copied.contains(a.value())) {
                copied.add(a.value());
            }
        }
        return copied;
    }

    private static String annotation(MessageView message, String name) {
        for (Annotation a : message.annotations()) {
            if (a.name().equals(name)) {
                return a.value();
            }
        }
        return null;
    }

    /** The SMTP listener's port, 0 when there is none. */
    int listenerPort() {
        return listener == null ? 0 : listener.port();
    }

    MailSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "email/" + settings.instance();
    }
}
