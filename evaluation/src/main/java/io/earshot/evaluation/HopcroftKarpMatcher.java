package io.earshot.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maximum-cardinality bipartite matching, Hopcroft-Karp, following the iteration order of the
 * implementation sed_eval uses (mir_eval's {@code _bipartite_match}, after D. Eppstein).
 *
 * <p>The matching size is unique, but which pairs get matched is not, and sed_eval counts
 * substitutions among the events left unmatched. Reproducing its visiting order (greedy start,
 * layer order, insertion-ordered maps) reproduces its substitution counts exactly.
 */
final class HopcroftKarpMatcher {
    private static final int FIRST_LAYER = -1;

    private final Map<Integer, List<Integer>> graph;
    private final Map<Integer, Integer> matching = new LinkedHashMap<>();
    private Map<Integer, List<Integer>> preds;
    private Map<Integer, Integer> pred;

    private HopcroftKarpMatcher(Map<Integer, List<Integer>> graph) {
        this.graph = graph;
    }

    /**
     * @param graph left vertex -> its right neighbours, both in the order they were discovered
     *              (an insertion-ordered map)
     * @return right vertex -> matched left vertex
     */
    static Map<Integer, Integer> match(LinkedHashMap<Integer, List<Integer>> graph) {
        return new HopcroftKarpMatcher(graph).run();
    }

    private Map<Integer, Integer> run() {
        for (Map.Entry<Integer, List<Integer>> e : graph.entrySet()) {
            for (int v : e.getValue()) {
                if (!matching.containsKey(v)) {
                    matching.put(v, e.getKey());
                    break;
                }
            }
        }
        while (true) {
            preds = new HashMap<>();
            List<Integer> unmatched = new ArrayList<>();
            pred = new LinkedHashMap<>();
            for (int u : graph.keySet()) {
                pred.put(u, FIRST_LAYER);
            }
            for (int u : matching.values()) {
                pred.remove(u);
            }
            List<Integer> layer = new ArrayList<>(pred.keySet());
            while (!layer.isEmpty() && unmatched.isEmpty()) {
                Map<Integer, List<Integer>> newLayer = new LinkedHashMap<>();
                for (int u : layer) {
                    for (int v : graph.get(u)) {
                        if (!preds.containsKey(v)) {
                            newLayer.computeIfAbsent(v, k -> new ArrayList<>()).add(u);
                        }
                    }
                }
                layer = new ArrayList<>();
                for (Map.Entry<Integer, List<Integer>> e : newLayer.entrySet()) {
                    int v = e.getKey();
                    preds.put(v, e.getValue());
                    Integer matchedTo = matching.get(v);
                    if (matchedTo != null) {
                        layer.add(matchedTo);
                        pred.put(matchedTo, v);
                    } else {
                        unmatched.add(v);
                    }
                }
            }
            if (unmatched.isEmpty()) {
                return matching;
            }
            for (int v : unmatched) {
                augment(v);
            }
        }
    }

    /** Searches backwards through the layers for an alternating path ending at {@code v}. */
    private boolean augment(int v) {
        List<Integer> candidates = preds.remove(v);
        if (candidates != null) {
            for (int u : candidates) {
                Integer pu = pred.remove(u);
                if (pu != null && (pu == FIRST_LAYER || augment(pu))) {
                    matching.put(v, u);
                    return true;
                }
            }
        }
        return false;
    }
}
