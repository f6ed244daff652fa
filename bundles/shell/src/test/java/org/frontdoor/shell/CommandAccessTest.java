package org.frontdoor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Command;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.frontdoor.core.ScopeFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Access, command by command, on a real inbox and store (H2): an agent of sales asking for what belongs to support
 * is told exactly what they would be told if it did not exist, an agent of support gets it; lists show only the
 * caller's rows; admin commands refuse agents. The commands are every {@code @Command} class of this bundle, found by
 * scanning its classes: one without a case here fails {@link #everyCommandHasACaseAndARowInTheDocs}.
 */
class CommandAccessTest {

    /** What a command names, and so what a caller outside its scope is told (as in docs/access.md). */
    enum Kind { CONVERSATION, REPLY, CUSTOMER, MERGE, CALLBACK, SELF, LIST, ADMIN, OPEN }

    /**
     * A command's case.
     *
     * @param absent  for CONVERSATION, REPLY, CUSTOMER and MERGE: the sentence for what does not exist
     * @param column  for LIST: the table column holding the rows' ids
     * @param support for LIST: the ids of the support rows, which sales must not see
     */
    private record Case(Kind kind, BiFunction<ScopeFixture, Services, CallerAction> command,
                        Function<ScopeFixture, String> absent, String column,
                        Function<ScopeFixture, Set<Long>> support) {

        static Case named(Kind kind, BiFunction<ScopeFixture, Services, CallerAction> command,
                          Function<ScopeFixture, String> absent) {
            return new Case(kind, command, absent, null, null);
        }

        static Case list(BiFunction<ScopeFixture, Services, CallerAction> command, String column,
                         Function<ScopeFixture, Set<Long>> support) {
            return new Case(Kind.LIST, command, null, column, support);
        }

        static Case of(Kind kind, BiFunction<ScopeFixture, Services, CallerAction> command) {
            return new Case(kind, command, null, null, null);
        }
    }

    /** What the commands other than the inbox's use. */
    private record Services(org.osgi.framework.BundleContext context) {
    }

    private static final PipelineStatus STATUS = new PipelineStatus() {
        @Override
        public String databaseProblem() {
            return null;
        }

        @Override
        public List<RuleInfo> rules() {
            return List.of();
        }

        @Override
        public List<EventConsumerInfo> eventConsumers() {
            return List.of(new EventConsumerInfo("crm", 12, 0, null, null, null, null));
        }

        @Override
        public EventConsumerInfo resetEventConsumer(String name, long position) {
            return new EventConsumerInfo(name, 12, 0, null, null, null, null);
        }
    };

    private static final Departments DEPARTMENTS = new Departments() {
        private final List<Department> all = List.of(Department.seenOnly("sales"), Department.seenOnly("support"));

        @Override
        public List<Department> list() {
            return all;
        }

        @Override
        public Optional<Department> get(String id) {
            return all.stream().filter(d -> d.id().equals(id)).findFirst();
        }
    };

    private static final Map<Class<?>, Case> CASES = Map.ofEntries(
            Map.entry(ConversationShowCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationShowCommand c = inbox(new ConversationShowCommand(), f);
                c.id = f.supportConversation;
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ConversationWhyCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationWhyCommand c = inbox(new ConversationWhyCommand(), f);
                c.id = f.supportConversation;
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ConversationAssignCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationAssignCommand c = inbox(new ConversationAssignCommand(), f);
                c.id = f.supportConversation;
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ConversationTransferCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationTransferCommand c = inbox(new ConversationTransferCommand(), f);
                c.id = f.supportConversation;
                c.department = "billing";
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ConversationResolveCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationResolveCommand c = inbox(new ConversationResolveCommand(), f);
                c.id = f.supportConversation;
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ConversationReopenCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                if (f.inbox.conversation(ScopeFixture.ADMIN, f.supportConversation).orElseThrow().summary().status()
                        != org.frontdoor.api.inbox.ConversationStatus.RESOLVED) {
                    f.inbox.resolve(ScopeFixture.ADMIN, f.supportConversation); // a resolved one to reopen, once
                }
                ConversationReopenCommand c = inbox(new ConversationReopenCommand(), f);
                c.id = f.supportConversation;
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(NoteCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                NoteCommand c = inbox(new NoteCommand(), f);
                c.id = f.supportConversation;
                c.text = List.of("@sam", "have a look");
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ReplyCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ReplyCommand c = inbox(new ReplyCommand(), f);
                c.id = f.supportConversation;
                c.text = List.of("we", "are", "on", "it");
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(ReplyRetryCommand.class, Case.named(Kind.REPLY, (f, s) -> {
                ReplyRetryCommand c = inbox(new ReplyRetryCommand(), f);
                c.replyId = f.supportReply;
                return c;
            }, f -> "No reply " + f.supportReply)),
            Map.entry(CustomerMergeCommand.class, Case.named(Kind.CUSTOMER, (f, s) -> {
                CustomerMergeCommand c = inbox(new CustomerMergeCommand(), f);
                c.from = f.supportCustomer;
                c.into = f.carlCustomer;
                return c;
            }, f -> "No customer " + f.supportCustomer + " or " + f.carlCustomer)),
            Map.entry(CustomerShowCommand.class, Case.named(Kind.CUSTOMER, (f, s) -> {
                CustomerShowCommand c = inbox(new CustomerShowCommand(), f);
                c.id = f.supportCustomer;
                return c;
            }, f -> "No customer " + f.supportCustomer)),
            Map.entry(ConsentSetCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                ConsentSetCommand c = inbox(new ConsentSetCommand(), f);
                c.desk = f.consentDesk;
                c.customer = f.supportCustomer;
                c.channel = f.supportChannel;
                c.handle = f.supportHandle;
                c.state = "opted-in";
                c.reason = "asked by phone to be written to";
                return c;
            })),
            Map.entry(ConversationSnoozeCommand.class, Case.named(Kind.CONVERSATION, (f, s) -> {
                ConversationSnoozeCommand c = inbox(new ConversationSnoozeCommand(), f);
                c.id = f.supportConversation;
                c.time = java.time.Instant.now().plusSeconds(30 * 86_400).toString();
                return c;
            }, f -> "No conversation " + f.supportConversation)),
            Map.entry(AgentListCommand.class, Case.of(Kind.OPEN, (f, s) -> agents(new AgentListCommand(), f))),
            Map.entry(AgentShowCommand.class, Case.of(Kind.OPEN, (f, s) -> {
                AgentShowCommand c = agents(new AgentShowCommand(), f);
                c.name = ScopeFixture.SUPPORT.name();
                return c;
            })),
            Map.entry(AgentAddCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                AgentAddCommand c = agents(new AgentAddCommand(), f);
                c.name = "zoe";
                c.departments = "sales";
                return c;
            })),
            Map.entry(AgentSetCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                AgentSetCommand c = agents(new AgentSetCommand(), f);
                c.name = ScopeFixture.SUPPORT.name();
                c.capacity = 7;
                return c;
            })),
            Map.entry(AgentPresenceCommand.class, Case.of(Kind.SELF, (f, s) -> {
                AgentPresenceCommand c = agents(new AgentPresenceCommand(), f);
                c.name = ScopeFixture.SUPPORT.name();
                c.presence = "online";
                return c;
            })),
            Map.entry(UserListCommand.class, Case.of(Kind.ADMIN, (f, s) -> users(new UserListCommand(), f))),
            Map.entry(UserAddCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                UserAddCommand c = users(new UserAddCommand(), f);
                c.name = "zoe";
                c.roles = List.of("agent");
                c.passwordFile = passwordFile();
                return c;
            })),
            Map.entry(UserPasswdCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                UserPasswdCommand c = users(new UserPasswdCommand(), f);
                c.name = ScopeFixture.SUPPORT.name();
                c.passwordFile = passwordFile();
                return c;
            })),
            Map.entry(UserRolesCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                UserRolesCommand c = users(new UserRolesCommand(), f);
                c.name = ScopeFixture.SUPPORT.name();
                c.roles = List.of("agent", "supervisor");
                return c;
            })),
            Map.entry(UserDisableCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                UserDisableCommand c = users(new UserDisableCommand(), f);
                c.name = ScopeFixture.SALES.name();
                return c;
            })),
            Map.entry(UserRemoveCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                UserRemoveCommand c = users(new UserRemoveCommand(), f);
                c.name = ScopeFixture.SALES.name();
                return c;
            })),
            Map.entry(CallbackDoneCommand.class, Case.named(Kind.CALLBACK, (f, s) -> {
                CallbackDoneCommand c = new CallbackDoneCommand();
                c.callbacks = f.callbacks;
                c.id = f.supportCallback;
                return c;
            }, f -> "No callback task " + f.supportCallback)),
            Map.entry(CallbackCallCommand.class, Case.named(Kind.CALLBACK, (f, s) -> {
                CallbackCallCommand c = new CallbackCallCommand();
                c.callbacks = f.callbacks;
                c.id = f.supportCallback;
                c.agentPhone = "+15550123";
                return c;
            }, f -> "No callback task " + f.supportCallback)),
            Map.entry(CallbackListCommand.class, Case.list((f, s) -> {
                CallbackListCommand c = new CallbackListCommand();
                c.callbacks = f.callbacks;
                return c;
            }, "Id", f -> Set.of(f.supportCallback))),
            Map.entry(CustomerUnmergeCommand.class, Case.named(Kind.MERGE, (f, s) -> {
                CustomerUnmergeCommand c = inbox(new CustomerUnmergeCommand(), f);
                c.merge = f.supportMerge;
                return c;
            }, f -> "No merge " + f.supportMerge)),
            Map.entry(ConversationListCommand.class, Case.list((f, s) -> inbox(new ConversationListCommand(), f),
                    "ID", f -> Set.of(f.supportConversation, f.sharedSupportConversation, f.movedToSupport))),
            Map.entry(EventListCommand.class, Case.list((f, s) -> {
                EventListCommand c = inbox(new EventListCommand(), f);
                c.limit = 500;
                return c;
            }, "Conversation", f -> Set.of(f.supportConversation, f.sharedSupportConversation, f.movedToSupport))),
            Map.entry(CustomerSuggestionsCommand.class, Case.list((f, s) -> inbox(new CustomerSuggestionsCommand(), f),
                    "ID", f -> Set.of(f.supportSuggestion))),
            Map.entry(MessageHideCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                MessageHideCommand c = inbox(new MessageHideCommand(), f);
                c.id = f.supportPost;
                c.message = f.supportPostMessage;
                c.reason = List.of("a", "phone", "number");
                return c;
            })),
            Map.entry(MessageUnhideCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                MessageUnhideCommand c = inbox(new MessageUnhideCommand(), f);
                c.id = f.supportPost;
                c.message = f.supportPostMessage;
                c.reason = List.of("the customer removed it");
                return c;
            })),
            Map.entry(StoreCheckCommand.class, Case.of(Kind.ADMIN, (f, s) -> inbox(new StoreCheckCommand(), f))),
            Map.entry(EventConsumerListCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                EventConsumerListCommand c = new EventConsumerListCommand();
                c.status = STATUS;
                return c;
            })),
            Map.entry(EventConsumerResetCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                EventConsumerResetCommand c = new EventConsumerResetCommand();
                c.status = STATUS;
                c.name = "crm";
                c.to = "end";
                return c;
            })),
            Map.entry(IntegrationListCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                IntegrationListCommand c = new IntegrationListCommand();
                c.status = STATUS;
                c.bundleContext = s.context();
                return c;
            })),
            Map.entry(HealthCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                HealthCommand c = new HealthCommand();
                c.status = STATUS;
                c.bundleContext = s.context();
                return c;
            })),
            Map.entry(RuleTestCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                RuleTestCommand c = new RuleTestCommand();
                c.tester = f.ruleTester;
                c.channel = "email";
                c.words = List.of("my", "invoice", "is", "wrong");
                return c;
            })),
            Map.entry(RuleListCommand.class, Case.of(Kind.OPEN, (f, s) -> {
                RuleListCommand c = new RuleListCommand();
                c.status = STATUS;
                return c;
            })),
            Map.entry(ChannelCheckCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                ChannelCheckCommand c = new ChannelCheckCommand();
                c.bundleContext = s.context();
                c.channel = "xmpp";
                c.instance = "chat";
                return c;
            })),
            Map.entry(ChannelReconnectCommand.class, Case.of(Kind.ADMIN, (f, s) -> {
                ChannelReconnectCommand c = new ChannelReconnectCommand();
                c.bundleContext = s.context();
                c.channel = "xmpp";
                c.instance = "chat";
                return c;
            })),
            Map.entry(ChannelListCommand.class, Case.of(Kind.OPEN, (f, s) -> {
                ChannelListCommand c = new ChannelListCommand();
                c.bundleContext = s.context();
                return c;
            })),
            Map.entry(DepartmentListCommand.class, Case.of(Kind.OPEN, (f, s) -> {
                DepartmentListCommand c = new DepartmentListCommand();
                c.departments = DEPARTMENTS;
                return c;
            })),
            Map.entry(DepartmentShowCommand.class, Case.of(Kind.OPEN, (f, s) -> {
                DepartmentShowCommand c = new DepartmentShowCommand();
                c.departments = DEPARTMENTS;
                c.id = "support";
                return c;
            })));

    @TempDir
    static Path storage;
    private static Osgi osgi;
    private ScopeFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        osgi = new Osgi(storage);
        osgi.register("email", "mail", org.frontdoor.api.ChannelHealth::up);
        osgi.registerCheckable("xmpp", "chat", new org.frontdoor.api.CheckReport(List.of(
                org.frontdoor.api.CheckReport.Step.ok("XMPP connect and login", "logged in"))),
                new java.util.concurrent.atomic.AtomicInteger());
    }

    @AfterAll
    static void stop() throws Exception {
        osgi.close();
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Every {@code @Command} class of this bundle's classes, by name. */
    static Stream<String> commands() throws IOException, URISyntaxException {
        Path classes = Path.of(CallerAction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                try {
                    if (Class.forName(name, false, CommandAccessTest.class.getClassLoader())
                            .isAnnotationPresent(Command.class)) {
                        found.add(name);
                    }
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return found.stream().sorted();
    }

    @Test
    void everyCommandHasACaseAndARowInTheDocs() throws Exception {
        List<String> commands = commands().toList();
        assertThat(commands).as("the scan finds the commands").contains(ConversationShowCommand.class.getName());
        assertThat(new TreeSet<>(CASES.keySet().stream().map(Class::getName).toList())).as("a case per @Command class, "
                + "and none for a command that is gone: classify a new command here").isEqualTo(new TreeSet<>(commands));

        String doc = Files.readString(docs(), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<Class<?>, Case> c : CASES.entrySet()) {
            Command command = c.getKey().getAnnotation(Command.class);
            assertThat(CallerAction.class).as(c.getKey() + " gets its caller from CallerAction")
                    .isAssignableFrom(c.getKey());
            String row = "| `" + command.scope() + ":" + command.name() + "` | " + c.getValue().kind() + " |";
            if (!doc.contains(row)) {
                missing.add(row);
            }
        }
        assertThat(missing).as("rows missing from docs/access.md").isEmpty();
    }

    /** No command asks Commands.currentCaller itself: CallerAction.caller() is the one way, and tests can set it. */
    @Test
    void onlyCallerActionAsksForTheSessionsCaller() throws Exception {
        Path classes = Path.of(CallerAction.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> asking = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString();
                // a method reference's name is in the class file's constant pool as plain text
                if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("currentCaller")) {
                    asking.add(name);
                }
            }
        }
        assertThat(asking).as("classes naming Commands.currentCaller").containsExactlyInAnyOrder(
                "org/frontdoor/shell/Commands.class", "org/frontdoor/shell/CallerAction.class",
                // completing a conversation id is not a command: it lists the session's own conversations
                "org/frontdoor/shell/completers/ConversationIdCompleter.class");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void anAgentOfSalesGetsNothingOfSupportAndAnAgentOfSupportGetsIt(String name) throws Exception {
        Case c = CASES.get(Class.forName(name));
        assertThat(c).as("a case for " + name).isNotNull();
        fixture = ScopeFixture.create("h2");
        Services services = new Services(osgi.context());

        Console.Output sales = run(c, services, ScopeFixture.SALES);
        switch (c.kind()) {
            case CONVERSATION, REPLY, CUSTOMER, MERGE, CALLBACK -> {
                assertThat(sales.err().strip()).as(name + " for sales").isEqualTo(c.absent().apply(fixture));
                assertThat(sales.out()).as("nothing else said").isEmpty();
                Console.Output support = run(c, services, ScopeFixture.SUPPORT);
                assertThat(support.err()).as(name + " for support").isEmpty();
                assertThat(support.out()).isNotBlank();
            }
            case LIST -> {
                assertThat(sales.err()).isEmpty();
                assertThat(column(sales, c.column())).as(name + " for sales")
                        .doesNotContainAnyElementsOf(c.support().apply(fixture));
                Console.Output support = run(c, services, ScopeFixture.SUPPORT);
                assertThat(column(support, c.column())).as(name + " for support")
                        .containsAll(c.support().apply(fixture));
            }
            case SELF -> {
                assertThat(sales.err()).as(name + " by another agent").contains("may set their own");
                assertThat(sales.out()).isEmpty();
                Console.Output self = run(c, services, ScopeFixture.SUPPORT);
                assertThat(self.err()).as(name + " by themselves").isEmpty();
                assertThat(self.out()).isNotBlank();
            }
            case ADMIN -> {
                assertThat(sales.err()).as(name + " for an agent").containsAnyOf("is for ", "by role admin", "Only an admin");
                assertThat(sales.out()).isEmpty();
                Console.Output admin = run(c, services, ScopeFixture.ADMIN);
                assertThat(admin.err()).as(name + " for an admin").isEmpty();
                assertThat(admin.out()).isNotBlank();
            }
            case OPEN -> {
                Console.Output support = run(c, services, ScopeFixture.SUPPORT);
                assertThat(sales.err()).isEmpty();
                assertThat(sales.out()).isNotBlank().as("the same for every scope").isEqualTo(support.out());
            }
            default -> throw new AssertionError(c.kind());
        }
    }

    private Console.Output run(Case c, Services services, Caller caller) throws Exception {
        CallerAction command = c.command().apply(fixture, services);
        command.callers = () -> caller;
        return Console.run(command);
    }

    private static <T extends InboxAction> T inbox(T command, ScopeFixture fixture) {
        command.inbox = fixture.inbox;
        return command;
    }

    private static <T extends UserAction> T users(T command, ScopeFixture fixture) {
        command.accounts = fixture.accounts;
        return command;
    }

    /** A file holding a new password, as --password-file reads it. */
    private static String passwordFile() {
        try {
            Path file = Files.createTempFile("password", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, "another-long-password-2\n");
            return file.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T extends AgentAction> T agents(T command, ScopeFixture fixture) {
        command.agents = fixture.agents;
        return command;
    }

    /** The ids in a column of a command's table. */
    private static Set<Long> column(Console.Output output, String name) {
        List<List<String>> table = output.table();
        assertThat(table).as("a table in: " + output.out()).isNotEmpty();
        int index = table.get(0).indexOf(name);
        assertThat(index).as("column " + name + " in " + table.get(0)).isNotNegative();
        Set<Long> ids = new TreeSet<>();
        for (List<String> row : table.subList(1, table.size())) {
            String cell = row.size() > index ? row.get(index) : "";
            if (cell.matches("\\d+")) {
                ids.add(Long.parseLong(cell));
            }
        }
        return ids;
    }

    /** docs/access.md, from the module's directory or the project's. */
    private static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/access.md"))) {
                return p.resolve("docs/access.md");
            }
        }
        throw new AssertionError("docs/access.md not found above " + here);
    }
}
