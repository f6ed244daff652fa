package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.admin.HealthReport;
import org.frontdoor.api.admin.PipelineStatus;
import org.osgi.framework.BundleContext;

@Command(scope = "frontdoor", name = "health",
        description = "Says whether this node is ready and whether anything needs an administrator: core not running, "
                + "the database not answering, doors not up, event consumers that missed events or keep failing, each "
                + "with what to do")
@Service
public class HealthCommand extends CallerAction {

    /** The longest reason shown (GET /api/v1/health has it whole). */
    static final int REASON = 300;

    @Reference
    BundleContext bundleContext;

    @Reference(optional = true)
    PipelineStatus status;

    @Override
    protected Object call() throws Exception {
        if (!admin("The health report")) {
            return null;
        }
        List<HealthReport.Door> doors = ChannelListCommand.channels(bundleContext).stream()
                .map(r -> new HealthReport.Door(r.channel(), r.instance(), r.status() == null ? null
                        : new org.frontdoor.api.ChannelHealth(r.status(), r.reason(), r.since())))
                .toList();
        print(HealthReport.of(status, doors));
        return null;
    }

    static void print(HealthReport report) {
        System.out.println("Frontdoor: " + report.state() + (report.ready() ? " (ready)"
                : " (not ready: GET /api/v1/health answers 503)"));
        if (report.problems().isEmpty()) {
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Part");
        table.column("State");
        table.column("What is wrong, and what to do");
        for (HealthReport.Problem p : report.problems()) {
            table.addRow().addContent(Text.oneLine(p.part(), 60), p.state(), Text.oneLine(p.reason(), REASON));
        }
        table.print(System.out);
    }
}
