package txngraph

// Cycle kinds, as Elle names them. The realtime kinds are cycles that need
// a real-time edge (T1 completed before T2 was invoked, so under strict
// serializability T1 precedes T2), named by their other edges: only ww,
// ww and wr, one rw, more rw.
const (
	KindG0        = "G0"       // a cycle of write-write dependencies
	KindG1c       = "G1c"      // ww and wr dependencies, at least one wr
	KindGSingle   = "G-single" // exactly one anti-dependency (rw)
	KindG2        = "G2"       // more than one anti-dependency
	KindG0RT      = "G0-realtime"
	KindG1cRT     = "G1c-realtime"
	KindGSingleRT = "G-single-realtime"
	KindG2RT      = "G2-realtime"
)

// FindCycles searches a dependency graph for cycles between transaction
// nodes, per strongly connected component of three subgraphs: ww edges
// (G0); ww and wr (G1c, through a wr edge); all (G-single, G2, through an
// rw edge); and with realtime, the real-time edges too (the realtime
// kinds). In each component a breadth-first search from a few starting
// transactions finds a cycle with the fewest transactions; found gets its
// kind and its edges, from an edge leaving a transaction to the edge that
// returns to it. Paths run through helper nodes (lanes, chains) on pass
// edges; a path's kind is that of its first edge.
func FindCycles(g *Graph, realtime bool, found func(kind string, path []int32)) {
	s := NewSearcher(g)
	const tries = 4
	isTxn := func(v int32) bool { return g.NK[v] == NodeTxn }
	countTxns := func(ms []int32) int {
		n := 0
		for _, v := range ms {
			if isTxn(v) {
				n++
			}
		}
		return n
	}
	shortest := func(a, b []int32) []int32 {
		if a == nil || (b != nil && TxnsOn(g, b) < TxnsOn(g, a)) {
			return b
		}
		return a
	}
	// components returns the graph's components within the masks, and
	// those of them that hold two transactions or more: only these can
	// close a cycle between transactions.
	components := func(nodeMask, edgeMask uint8) ([]int32, [][]int32) {
		comp, ncomp := g.SCC(nodeMask, edgeMask)
		var sets [][]int32
		for _, ms := range Cycles(comp, ncomp) {
			if countTxns(ms) >= 2 {
				sets = append(sets, ms)
			}
		}
		return comp, sets
	}
	// leaving returns the first tries edges of kind that leave a
	// transaction of ms and stay inside its component.
	leaving := func(ms, comp []int32, kind uint8) []int32 {
		var es []int32
		for _, u := range ms {
			if !isTxn(u) {
				continue
			}
			for e := g.Off[u]; e < g.Off[u+1] && len(es) < tries; e++ {
				if g.Kind[e] == kind && comp[g.To[e]] == comp[u] {
					es = append(es, e)
				}
			}
		}
		return es
	}
	// closing returns the shortest cycle that starts with one of es and
	// comes back to that edge's source along q's masks, or nil.
	// An edge straight to another transaction has already left the start,
	// so the rest of the path may come straight back.
	closing := func(es, comp []int32, q Query) []int32 {
		var best []int32
		other := q.Other
		for _, e := range es {
			u := g.EdgeSource(e)
			q.From, q.Target, q.Comp, q.C = g.To[e], u, comp, comp[u]
			q.Other = other || g.NK[g.To[e]]&q.CountMask != 0
			if p := s.Path(q); p != nil {
				best = shortest(best, append([]int32{e}, p...))
			}
		}
		return best
	}

	// G0: cycles of write-write dependencies.
	comp, sets := components(NodeTxn|NodeWW, EdgeWW|EdgePass)
	for _, ms := range sets {
		var best []int32
		n := 0
		for _, v := range ms {
			if !isTxn(v) || n == tries {
				continue
			}
			n++
			best = shortest(best, s.Path(Query{From: v, Target: v, Comp: comp, C: comp[v],
				NodeMask: NodeTxn | NodeWW, EdgeMask: EdgeWW | EdgePass, CountMask: NodeTxn}))
		}
		if best != nil {
			found(KindG0, best)
		}
	}

	// G1c: cycles of ww and wr dependencies through at least one wr edge.
	comp, sets = components(NodeTxn|NodeWW, EdgeWW|EdgeWR|EdgePass)
	for _, ms := range sets {
		best := closing(leaving(ms, comp, EdgeWR), comp, Query{Other: true,
			NodeMask: NodeTxn | NodeWW, EdgeMask: EdgeWW | EdgeWR | EdgePass, CountMask: NodeTxn})
		if best != nil {
			found(KindG1c, best)
		}
	}

	// G-single and G2: cycles through anti-dependencies. Look first for
	// one rw edge closed by ww and wr edges only, then allow more.
	comp, sets = components(NodeTxn|NodeWW|NodeRW, EdgeWW|EdgeWR|EdgeRW|EdgePass)
	for _, ms := range sets {
		rws := leaving(ms, comp, EdgeRW)
		var best []int32
		for _, mask := range []uint8{EdgeWW | EdgeWR | EdgePass, EdgeWW | EdgeWR | EdgeRW | EdgePass} {
			best = closing(rws, comp, Query{NodeMask: NodeTxn | NodeWW | NodeRW, EdgeMask: mask, CountMask: NodeTxn})
			if best != nil {
				break
			}
		}
		if best == nil {
			continue
		}
		rw := 0
		for _, e := range best {
			if g.Kind[e] == EdgeRW {
				rw++
			}
		}
		if rw == 1 {
			found(KindGSingle, best)
		} else {
			found(KindG2, best)
		}
	}

	// Real-time cycles (strict serializability): through at least one
	// real-time edge, named by the other edges as Elle names them.
	if !realtime {
		return
	}
	const rtNodes, rtEdges = NodeTxn | NodeWW | NodeRW | NodeTime, EdgeWW | EdgeWR | EdgeRW | EdgePass | EdgeRT
	comp, sets = components(rtNodes, rtEdges)
	for _, ms := range sets {
		best := closing(leaving(ms, comp, EdgeRT), comp, Query{NodeMask: rtNodes, EdgeMask: rtEdges, CountMask: NodeTxn})
		if best == nil {
			continue
		}
		rw, wr := 0, 0
		for _, e := range best {
			switch g.Kind[e] {
			case EdgeRW:
				rw++
			case EdgeWR:
				wr++
			}
		}
		switch {
		case rw == 1:
			found(KindGSingleRT, best)
		case rw > 1:
			found(KindG2RT, best)
		case wr > 0:
			found(KindG1cRT, best)
		default:
			found(KindG0RT, best)
		}
	}
}
