package org.frontdoor.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.IntegrationInfo;
import org.frontdoor.api.admin.IntegrationStatus;
import org.frontdoor.api.admin.PipelineStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

@Command(scope = "frontdoor", name = "integration-list",
        description = "Lists the department integrations (webhook, Slack, digest, lead export): where each delivers, "
                + "its events consumer's position and backlog, what it delivered and parked, its last error")
@Service
public class IntegrationListCommand extends CallerAction {

    @Reference
    BundleContext bundleContext;

    @Reference(optional = true)
    PipelineStatus status;

    @Override
    protected Object call() throws Exception {
        if (!admin("The list of integrations")) {
            return null;
        }
        table(integrations(bundleContext), status == null ? List.of() : status.eventConsumers()).print(System.out);
        if (status == null) {
            System.out.println(Commands.CORE_DOWN);
        }
        return null;
    }

    /** Every registered integration's snapshot, by name. */
    static List<IntegrationInfo> integrations(BundleContext context) throws InvalidSyntaxException {
        List<IntegrationInfo> infos = new ArrayList<>();
        for (ServiceReference<IntegrationStatus> ref : context.getServiceReferences(IntegrationStatus.class, null)) {
            IntegrationStatus s = context.getService(ref);
            if (s == null) {
                continue;
            }
            try {
                infos.add(s.info());
            } finally {
                context.ungetService(ref);
            }
        }
        infos.sort(Comparator.comparing(IntegrationInfo::name));
        return infos;
    }

    static ShellTable table(List<IntegrationInfo> integrations, List<EventConsumerInfo> consumers) {
        Map<String, EventConsumerInfo> byName = consumers.stream()
                .collect(Collectors.toMap(EventConsumerInfo::name, Function.identity(), (a, b) -> a));
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Integration", "Department", "Target", "Consumer", "Position", "Behind",
                "Delivered", "Last delivered", "Parked", "Last error"}) {
            table.column(column);
        }
        table.emptyTableText("No integration (install a feature such as frontdoor-department-webhook and add its "
                + "etc/org.frontdoor.integration.<kind>-<name>.cfg)");
        for (IntegrationInfo i : integrations) {
            EventConsumerInfo c = byName.get(i.consumer());
            // the consumer's own error (core's retry reason) when the integration has none of its own to say
            String error = i.lastError() != null ? i.lastError() : c == null ? null : c.lastError();
            table.addRow().addContent(Text.oneLine(i.name(), 40), i.department() == null ? "all"
                            : Text.oneLine(i.department(), 30), i.target() == null ? "-" : Text.oneLine(i.target(), 50),
                    Text.oneLine(i.consumer(), 50), c == null ? "-" : c.position(), c == null ? "-" : c.behind(),
                    i.delivered(), Text.time(i.lastDelivered()), i.parked(), Text.oneLine(error, 100));
        }
        return table;
    }
}
