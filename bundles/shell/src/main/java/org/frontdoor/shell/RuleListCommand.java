package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;

@Command(scope = "frontdoor", name = "rule-list", description = "Lists the routing rules in the order they are asked")
@Service
public class RuleListCommand extends StatusAction {

    @Override
    void execute(PipelineStatus status) {
        table(status.rules()).print(System.out);
    }

    static ShellTable table(List<RuleInfo> rules) {
        ShellTable table = new ShellTable();
        table.column("Order");
        table.column("Rule");
        table.column("Ranking");
        table.column("Service");
        table.column("Bundle");
        table.emptyTableText("No routing rule: every conversation goes to the default department");
        int order = 1;
        for (RuleInfo rule : rules) {
            table.addRow().addContent(order++, Text.oneLine(rule.name(), 40), rule.ranking(), rule.serviceId(),
                    Text.oneLine(rule.bundle(), 60));
        }
        return table;
    }
}
