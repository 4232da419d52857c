package jp.nanbyo.fhir.routes.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Unit;
import jp.nanbyo.fhir.routes.sync.SyncPlan.Write;

/**
 * The writes as units in an order where each comes after what it refers to: the strongly connected
 * components of the reference graph (Tarjan's algorithm, without recursion: chains of partOf can be
 * long), which the algorithm finishes dependencies first.
 */
final class ReferenceOrder {

    private final Map<String, Write> writes;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<Unit> units = new ArrayList<>();
    private int counter;

    ReferenceOrder(Map<String, Write> writesByReference) {
        this.writes = writesByReference;
    }

    List<Unit> units() {
        for (String node : writes.keySet()) {
            if (!index.containsKey(node)) {
                visit(node);
            }
        }
        return units;
    }

    private List<String> edges(String node) {
        return writes.get(node).references().stream().filter(writes::containsKey).distinct().toList();
    }

    private void visit(String root) {
        Deque<Map.Entry<String, Integer>> calls = new ArrayDeque<>(); // node, index of the next edge to follow
        open(root);
        calls.push(Map.entry(root, 0));
        while (!calls.isEmpty()) {
            Map.Entry<String, Integer> call = calls.pop();
            String node = call.getKey();
            List<String> edges = edges(node);
            int next = call.getValue();
            if (next < edges.size()) {
                calls.push(Map.entry(node, next + 1));
                String target = edges.get(next);
                if (!index.containsKey(target)) {
                    open(target);
                    calls.push(Map.entry(target, 0));
                } else if (onStack.contains(target)) {
                    lowLink.put(node, Math.min(lowLink.get(node), index.get(target)));
                }
                continue;
            }
            if (lowLink.get(node).equals(index.get(node))) {
                List<Write> component = new ArrayList<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    component.add(0, writes.get(member));
                } while (!member.equals(node));
                units.add(new Unit(List.copyOf(component)));
            }
            if (!calls.isEmpty()) {
                String caller = calls.peek().getKey();
                lowLink.put(caller, Math.min(lowLink.get(caller), lowLink.get(node)));
            }
        }
    }

    private void open(String node) {
        index.put(node, counter);
        lowLink.put(node, counter);
        counter++;
        stack.push(node);
        onStack.add(node);
    }
}
