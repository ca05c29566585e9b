package harness

import (
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/glomers/glomers/internal/edn"
	"github.com/glomers/glomers/internal/store"
	"github.com/glomers/glomers/internal/workload"
)

// kw is a keyword.
func kw(s string) edn.Keyword { return edn.Keyword(":" + s) }

// EDN is the part of Maelstrom's results.edn that learners' scripts read,
// in its shape: :valid? (Maelstrom's verdict), :stats, :availability,
// :net and :workload with broadcast's :stable-latencies. tutor help test
// lists the mapping.
func (res *Result) EDN() edn.Map {
	valid := func(v string) any {
		switch v {
		case "valid":
			return true
		case "invalid":
			return false
		}
		return kw("unknown")
	}
	var m edn.Map
	if s := res.Stats; s != nil {
		byF := edn.Map{}
		fs := make([]string, 0, len(s.ByF))
		for f := range s.ByF {
			fs = append(fs, f)
		}
		slices.Sort(fs)
		for _, f := range fs {
			byF = append(byF, edn.Entry{Key: kw(f), Val: statsEDN(s.ByF[f], s.ByF[f].Valid)})
		}
		st := statsEDN(s.StatCounts, s.Valid)
		st = append(st, edn.Entry{Key: kw("by-f"), Val: byF})
		m = append(m, edn.Entry{Key: kw("stats"), Val: st})
	}
	if a := res.Availability; a != nil {
		m = append(m, edn.Entry{Key: kw("availability"), Val: edn.Map{
			{Key: kw("valid?"), Val: a.Valid}, {Key: kw("ok-fraction"), Val: a.OKFraction},
		}})
	}
	bucket := func(b BucketResult) edn.Map {
		e := edn.Map{
			{Key: kw("send-count"), Val: b.SendCount},
			{Key: kw("recv-count"), Val: b.RecvCount},
			{Key: kw("msg-count"), Val: b.MsgCount},
		}
		if b.MsgsPerOp != nil {
			e = append(e, edn.Entry{Key: kw("msgs-per-op"), Val: *b.MsgsPerOp})
		}
		return e
	}
	m = append(m, edn.Entry{Key: kw("net"), Val: edn.Map{
		{Key: kw("all"), Val: bucket(res.Net.All)},
		{Key: kw("clients"), Val: bucket(res.Net.Clients)},
		{Key: kw("servers"), Val: bucket(res.Net.Servers)},
		{Key: kw("valid?"), Val: true},
	}})
	wl := edn.Map{{Key: kw("valid?"), Val: valid(res.MaelstromVerdict)}}
	if q := res.StableLatencyMS; q != nil {
		wl = append(wl, edn.Entry{Key: kw("stable-latencies"), Val: quantilesEDN(q)})
	}
	m = append(m, edn.Entry{Key: kw("workload"), Val: wl})
	m = append(m, edn.Entry{Key: kw("valid?"), Val: valid(res.MaelstromVerdict)})
	return m
}

func statsEDN(c StatCounts, valid bool) edn.Map {
	return edn.Map{
		{Key: kw("valid?"), Val: valid},
		{Key: kw("count"), Val: c.Count},
		{Key: kw("ok-count"), Val: c.OK},
		{Key: kw("fail-count"), Val: c.Fail},
		{Key: kw("info-count"), Val: c.Info},
	}
}

// quantilesEDN is Jepsen's frequency distribution at 0, 0.5, 0.95, 0.99
// and 1, in whole milliseconds as set-full reports them.
func quantilesEDN(q *workload.Quantiles) edn.Map {
	ms := func(f float64) int64 { return int64(math.Floor(f)) }
	return edn.Map{
		{Key: 0, Val: ms(q.Min)}, {Key: 0.5, Val: ms(q.Median)}, {Key: 0.95, Val: ms(q.P95)},
		{Key: 0.99, Val: ms(q.P99)}, {Key: 1, Val: ms(q.Max)},
	}
}

// writeEDN writes results.edn into dir.
func (res *Result) writeEDN(dir string) error {
	f, err := os.Create(filepath.Join(dir, store.MaelstromResults))
	if err != nil {
		return err
	}
	err = edn.Write(f, res.EDN())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
