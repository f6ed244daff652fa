package org.frontdoor.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.shell.completers.DepartmentCompleter;

@Command(scope = "frontdoor", name = "department-show", description = "Shows a department: its settings, where they "
        + "come from, and whether it is open now")
@Service
public class DepartmentShowCommand extends DepartmentAction {

    @Argument(index = 0, name = "id", required = true, description = "The department id")
    @Completion(DepartmentCompleter.class)
    String id;

    @Override
    void execute(Departments departments) {
        Optional<Department> department = departments.get(id);
        if (department.isEmpty()) {
            Commands.error("No department " + Text.oneLine(id, 80));
            return;
        }
        print(department.get(), clock.instant(), System.out);
    }

    static void print(Department d, Instant now, PrintStream out) {
        out.println("Department " + Text.oneLine(d.id(), 80));
        out.println("  Name:             " + Text.oneLine(d.name(), 80));
        out.println("  Status:           " + d.status());
        if (d.reason() != null) {
            out.println("  Reason:           " + Text.oneLine(d.reason(), 1000));
        }
        out.println("  File:             " + (d.source() == null ? "(none)" : Text.oneLine(d.source(), 200)));
        out.println("  Seen in routing:  " + (d.seen() ? "yes" : "no"));
        if (d.status() != Department.Status.CONFIGURED) {
            return;
        }
        out.println("  Time zone:        " + d.zone().getId());
        out.println("  Business hours:   " + d.hours());
        out.println("  Holidays:         " + (d.hours().holidays().isEmpty() ? "(none)"
                : String.join(", ", new TreeSet<>(d.hours().holidays()).stream().map(Object::toString).toList())));
        out.println("  Open now:         " + (d.isOpen(now) ? "yes" : "no, opens "
                + d.nextOpening(now).map(at -> Text.time(at, d.zone()) + " " + d.zone().getId()).orElse("never")));
        out.println("  Default priority: " + d.defaultPriority());
        out.println("  First response:   " + DepartmentListCommand.minutes(d.firstResponseMinutes())
                + " of business hours");
        out.println("  Resolution:       " + DepartmentListCommand.minutes(d.resolutionMinutes())
                + " of business hours");
        if (!d.sla().firstResponseByPriority().isEmpty() || !d.sla().resolutionByPriority().isEmpty()) {
            out.println("  By priority:      " + byPriority("first", d.sla().firstResponseByPriority())
                    + byPriority("resolve", d.sla().resolutionByPriority()));
        }
        out.println("  Warn at:          " + d.sla().warnAtPercent() + " % of a target");
        out.println("  Escalation:       " + (d.sla().escalation().isEmpty() ? "(none)"
                : Text.oneLine(String.join(", ", d.sla().escalation().stream().map(Object::toString).toList()), 200)));
        out.println("  Out of hours:     " + (d.sla().closedReply().isEmpty() ? "(no reply)"
                : Text.oneLine(d.sla().closedReply(), 200)));
        out.println("  Read groups:      " + (d.readGroups().isEmpty() ? "(none)"
                : Text.oneLine(String.join(", ", new TreeSet<>(d.readGroups())), 200)));
    }

    /** "first p2 30m, p3 10m; " for the targets some priorities have. */
    private static String byPriority(String what, java.util.Map<Integer, Integer> targets) {
        if (targets.isEmpty()) {
            return "";
        }
        return what + " " + String.join(", ", targets.entrySet().stream()
                .map(e -> "p" + e.getKey() + " " + DepartmentListCommand.minutes(e.getValue())).toList()) + "; ";
    }
}
