// Command genrevenue writes a synthetic revenue report in llamashare's
// canonical CSV layout (SPEC 3) to standard output:
//
//	date,host,product,region,currency,gross,refunds,taxes,fees,credits,units
//
// The output is fully determined by the flags: the same -seed gives the same
// bytes on every run and platform (math/rand/v2 PCG, integer arithmetic
// only). Amounts are built from integer minor units (cents; yen for JPY), so
// no float is ever formatted. Rows are written in date order and streamed
// through a buffered writer, so -rows 10000000 runs in constant memory.
//
// Examples:
//
//	genrevenue -rows 300 -from 2025-01-01 -to 2025-03-31 > q1.csv
//	genrevenue -rows 10000000 -currencies USD=80,EUR=10,GBP=5,JPY=5 | gzip > big.csv.gz
//	genrevenue -hosts aws=3,groq=1 -region us-east-1 -alias-rate 0
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// header is the canonical column order written by genrevenue.
const header = "date,host,product,region,currency,gross,refunds,taxes,fees,credits,units"

// defaultHosts are the eight hosts of examples/llama-hosts with a rough
// market-share weight each.
const defaultHosts = "aws=25,azure=20,gcp=15,databricks=12,snowflake=8,nvidia=8,groq=7,dell=5"

// aliases are other spellings of the known hosts, as declared in
// examples/llama-hosts/agreement.yaml; a share of rows (-alias-rate) uses
// one of them in the host column to exercise alias matching.
var aliases = map[string][]string{
	"aws":       {"AWS", "Amazon Bedrock"},
	"azure":     {"Azure", "Microsoft"},
	"gcp":       {"Google Cloud", "GCP", "Vertex AI"},
	"snowflake": {"Snowflake Cortex"},
	"nvidia":    {"NVIDIA NIM", "Nvidia"},
	"dell":      {"Dell"},
}

// product is a model with its weight in the traffic mix and its list price
// in US cents per million tokens (blended input/output).
type product struct {
	id       string
	weight   int
	priceCPM int64 // cents per 1M tokens
	minGross int64 // cents, per row
	maxGross int64 // cents, per row
}

var products = []product{
	{"llama-3.1-405b-instruct", 10, 500, 500_000, 25_000_000},
	{"llama-3.3-70b-instruct", 25, 80, 200_000, 15_000_000},
	{"llama-3.1-8b-instruct", 20, 20, 20_000, 3_000_000},
	{"llama-4-maverick", 18, 60, 200_000, 18_000_000},
	{"llama-4-scout", 15, 30, 100_000, 9_000_000},
	{"llama-3.2-1b-instruct", 6, 5, 5_000, 600_000},
	{"llama-3.2-3b-instruct", 6, 8, 10_000, 1_000_000},
}

// currencyInfo converts US cents to the currency's minor units: minor =
// cents × num ÷ den (rounded down); scale is the number of decimals written.
type currencyInfo struct {
	num, den int64
	scale    int
}

var currencies = map[string]currencyInfo{
	"USD": {1, 1, 2},
	"EUR": {92, 100, 2},
	"GBP": {79, 100, 2},
	"CHF": {88, 100, 2},
	"CAD": {137, 100, 2},
	"JPY": {150, 100, 0}, // 150 yen per dollar, 100 cents per dollar
}

// weighted is a choice among names with integer weights.
type weighted struct {
	names []string
	cum   []int // cumulative weights
}

func (w *weighted) pick(r *rand.Rand) string {
	n := r.IntN(w.cum[len(w.cum)-1])
	i := sort.SearchInts(w.cum, n+1)
	return w.names[i]
}

// parseWeighted reads "a=3,b=1,c" (a missing weight is 1).
func parseWeighted(flagName, s string) (*weighted, error) {
	w := &weighted{}
	total := 0
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, ws, hasW := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		weight := 1
		if hasW {
			n, err := strconv.Atoi(strings.TrimSpace(ws))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("-%s: bad weight %q for %s", flagName, ws, name)
			}
			weight = n
		}
		if name == "" {
			return nil, fmt.Errorf("-%s: empty name in %q", flagName, s)
		}
		if seen[name] {
			return nil, fmt.Errorf("-%s: %s listed twice", flagName, name)
		}
		seen[name] = true
		if weight == 0 {
			continue
		}
		total += weight
		w.names = append(w.names, name)
		w.cum = append(w.cum, total)
	}
	if total == 0 {
		return nil, fmt.Errorf("-%s: nothing to choose from in %q", flagName, s)
	}
	return w, nil
}

// errReported is a flag error the flag package has already printed.
var errReported = errors.New("bad flags")

// config holds the parsed flags.
type config struct {
	rows      int
	seed      uint64
	from, to  time.Time
	hosts     *weighted
	curr      *weighted
	regions   []string
	aliasRate float64
	products  int // > 0: that many distinct products, picked uniformly
	layout    *layout
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("genrevenue", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: genrevenue [flags] > revenue.csv\n\nWrites deterministic synthetic revenue in llamashare's canonical CSV.\n\n")
		fs.PrintDefaults()
	}
	rows := fs.Int("rows", 300, "number of data rows")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same bytes")
	from := fs.String("from", "2025-01-01", "first date (YYYY-MM-DD)")
	to := fs.String("to", "2025-03-31", "last date (YYYY-MM-DD), inclusive")
	hosts := fs.String("hosts", defaultHosts, "hosts, comma-separated, each optionally with a weight (id=weight)")
	curr := fs.String("currencies", "USD", "currencies with weights, e.g. USD=80,EUR=10,GBP=5,JPY=5 (known: USD EUR GBP CHF CAD JPY)")
	region := fs.String("region", "us-east,us-west,eu-west,ap-northeast", "regions, comma-separated, picked uniformly")
	aliasRate := fs.Float64("alias-rate", 0.1, "share of rows (0..1) whose host column uses an alias of the host")
	lay := fs.String("layout", "canonical", "the file's layout: "+layoutNames()+" (the partner layouts of testdata/bench/agreement.yaml's formats)")
	nProducts := fs.Int("products", 0, "distinct products, picked uniformly (0: the seven Llama models with their traffic mix); variants of the seven, e.g. llama-4-scout-v000042")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errReported // flag has printed the error and the usage
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := &config{rows: *rows, seed: *seed, aliasRate: *aliasRate, products: *nProducts}
	if c.rows < 0 {
		return nil, errors.New("-rows must not be negative")
	}
	if c.layout = layouts[*lay]; c.layout == nil {
		return nil, fmt.Errorf("-layout: unknown layout %q (want %s)", *lay, layoutNames())
	}
	if c.products < 0 {
		return nil, errors.New("-products must not be negative")
	}
	if c.aliasRate < 0 || c.aliasRate > 1 {
		return nil, errors.New("-alias-rate must be between 0 and 1")
	}
	var err error
	if c.from, err = time.Parse(time.DateOnly, *from); err != nil {
		return nil, fmt.Errorf("-from: want YYYY-MM-DD, got %q", *from)
	}
	if c.to, err = time.Parse(time.DateOnly, *to); err != nil {
		return nil, fmt.Errorf("-to: want YYYY-MM-DD, got %q", *to)
	}
	if c.to.Before(c.from) {
		return nil, errors.New("-to is before -from")
	}
	if c.hosts, err = parseWeighted("hosts", *hosts); err != nil {
		return nil, err
	}
	if c.curr, err = parseWeighted("currencies", *curr); err != nil {
		return nil, err
	}
	for _, name := range c.curr.names {
		if _, ok := currencies[name]; !ok {
			return nil, fmt.Errorf("-currencies: unknown currency %q", name)
		}
	}
	for _, r := range strings.Split(*region, ",") {
		if r = strings.TrimSpace(r); r != "" {
			if strings.ContainsAny(r, ",\"\r\n") {
				return nil, fmt.Errorf("-region: %q cannot be written unquoted", r)
			}
			c.regions = append(c.regions, r)
		}
	}
	if len(c.regions) == 0 {
		return nil, errors.New("-region: no region given")
	}
	for _, h := range c.hosts.names {
		if strings.ContainsAny(h, ",\"\r\n") {
			return nil, fmt.Errorf("-hosts: %q cannot be written unquoted", h)
		}
	}
	return c, nil
}

// generate writes the header and c.rows rows to w.
func generate(w io.Writer, c *config) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	r := rand.New(rand.NewPCG(c.seed, 0x6c6c616d61736861)) // "llamasha"

	// Day labels, computed once.
	days := int(c.to.Sub(c.from).Hours()/24) + 1
	labels := make([]string, days)
	for i := range labels {
		labels[i] = c.from.AddDate(0, 0, i).Format(time.DateOnly)
	}

	pw := &weighted{}
	total := 0
	for _, p := range products {
		total += p.weight
		pw.names = append(pw.names, p.id)
		pw.cum = append(pw.cum, total)
	}
	byID := map[string]product{}
	for _, p := range products {
		byID[p.id] = p
	}

	buf := make([]byte, 0, 256)
	buf = append(buf, c.layout.header...)
	buf = append(buf, '\n')
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	aliasPermille := int(c.aliasRate*1000 + 0.5)
	for i := 0; i < c.rows; i++ {
		// Rows are spread evenly over the days, in date order.
		day := int(int64(i) * int64(days) / int64(c.rows))
		host := c.hosts.pick(r)
		var p product
		if c.products > 0 {
			p = variant(r.IntN(c.products))
		} else {
			p = byID[pw.pick(r)]
		}
		region := c.regions[r.IntN(len(c.regions))]
		cur := c.curr.pick(r)
		ci := currencies[cur]

		hostText := host
		if al := aliases[host]; len(al) > 0 && r.IntN(1000) < aliasPermille {
			hostText = al[r.IntN(len(al))]
		}

		f := drawFigures(r, p)

		rec := record{date: c.from.AddDate(0, 0, day), label: labels[day], host: hostText, product: p.id,
			region: region, currency: cur, scale: ci.scale, units: f.units, first: i == 0}
		for k, cents := range [...]int64{f.gross, f.refunds, f.taxes, f.fees, f.credits} {
			rec.minor[k] = cents * ci.num / ci.den
		}
		buf = c.layout.row(buf[:0], &rec) // layout.go
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// rowFigures are one row's money in US cents, and its units.
type rowFigures struct {
	gross, refunds, taxes, fees, credits, units int64
}

// drawFigures draws a row's figures for product p, in a fixed order of
// draws (the output of a seed must not change).
func drawFigures(r *rand.Rand, p product) rowFigures {
	var f rowFigures
	// Gross in US cents: mostly the low end of the product's range,
	// one row in four anywhere in it.
	span := p.maxGross - p.minGross
	f.gross = p.minGross + r.Int64N(span/8+1)
	if r.IntN(4) == 0 {
		f.gross = p.minGross + r.Int64N(span+1)
	}
	// Refunds: most rows none, some a few percent, rare large ones.
	switch n := r.IntN(100); {
	case n < 80:
	case n < 98:
		f.refunds = f.gross * int64(1+r.IntN(8)) / 100
	default:
		f.refunds = f.gross * int64(20+r.IntN(60)) / 100
	}
	// Taxes: sales tax or VAT included in gross, 0–20 %.
	f.taxes = f.gross * int64(r.IntN(21)) / 100
	// Fees: a payment/marketplace fee of 1.5–3.5 %.
	f.fees = f.gross * int64(15+r.IntN(21)) / 1000
	// Credits: promotional credits on about one row in eight.
	if r.IntN(8) == 0 {
		f.credits = f.gross * int64(1+r.IntN(15)) / 100
	}
	// Units: tokens sold, from the list price, ±20 %.
	f.units = f.gross * 1_000_000 / p.priceCPM * int64(80+r.IntN(41)) / 100
	return f
}

// variant is the i-th of -products distinct products: a numbered variant
// of one of the seven models, with that model's prices.
func variant(i int) product {
	p := products[i%len(products)]
	p.id = fmt.Sprintf("%s-v%06d", p.id, i)
	return p
}

// appendMinor appends v minor units as decimal text with scale decimals:
// appendMinor(b, -123456, 2) appends "-1234.56"; appendMinor(b, 5, 0) "5".
func appendMinor(b []byte, v int64, scale int) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v // amounts here are far from MinInt64
	}
	if scale == 0 {
		return strconv.AppendInt(b, v, 10)
	}
	pow := int64(1)
	for range scale {
		pow *= 10
	}
	b = strconv.AppendInt(b, v/pow, 10)
	b = append(b, '.')
	frac := v % pow
	for pow /= 10; pow > 0; pow /= 10 {
		b = append(b, byte('0'+frac/pow))
		frac %= pow
	}
	return b
}

func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errReported) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "genrevenue:", err)
		return 2
	}
	if err := generate(stdout, c); err != nil {
		fmt.Fprintln(stderr, "genrevenue:", err)
		return 2
	}
	return 0
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
