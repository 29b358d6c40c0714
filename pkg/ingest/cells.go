package ingest

import (
	"time"

	"github.com/llamashare/llamashare/pkg/period"
)

// cell is a compact key of one worker, with its own numbering of
// currencies (products are numbered for all: f.products): host (12
// bits), product (24), currency (8, 255 = the
// settlement currency), the converted bit and day (19 bits, days since
// 1970: a day from the year 3405 on goes to the general decoder).
type cell uint64

const (
	productBits = 24
	// maxProducts bounds the products of a file the fast path sums: rows
	// of more go to the general decoder.
	maxProducts = 1 << productBits
	dayBits     = 19
	// maxDay bounds the days the fast path sums (the year 3405).
	maxDay = 1 << dayBits
)

func pack(host, product, currency, day int32) cell {
	return cell(uint64(host)<<52 | uint64(product)<<(52-productBits) | uint64(currency&0xff)<<(dayBits+1) | uint64(day&(maxDay-1)))
}

// The currency of a cell that is not one of the worker's codes: the
// settlement currency as read, or amounts converted into it by the worker;
// or the rows of a ledger kind the format ignores (read and accounted for,
// worth nothing), summed per period whatever their currency and product.
const (
	local   = -1 // 0xff in a cell
	ignored = -2 // 0xfe in a cell
)

// convertedBit marks a cell whose amounts the worker converted with the
// daily rate of its currency: they are summed per period in the
// settlement currency, beside their originals.
const convertedBit = maxDay

// converted reports whether c's amounts are converted.
func (c cell) converted() bool { return c&convertedBit != 0 }

func (c cell) unpack() (host, product, currency, day int32) {
	host = int32(c >> 52)
	product = int32(c >> (52 - productBits) & (maxProducts - 1))
	currency = int32(c >> (dayBits + 1) & 0xff)
	if currency >= 0xfe {
		currency -= 0x100
	}
	return host, product, currency, int32(c & (maxDay - 1))
}

// grain returns the day rows of a currency are summed at: the day itself,
// or the first day of its settlement period.
func (w *worker) grain(day, currency int32) int32 {
	byDay := w.localByDay
	if currency >= 0 {
		byDay = w.byDay[currency]
	}
	if byDay {
		return day
	}
	return w.periodFirst(day)
}

// periodFirst returns the first day of day's settlement period.
func (w *worker) periodFirst(day int32) int32 {
	// A dense cache by day: rows of a report span a few years at most.
	i := int(day - w.dayBase)
	if w.periodDay == nil || i < 0 || i >= len(w.periodDay) {
		w.growDays(day)
		i = int(day - w.dayBase)
	}
	if first := w.periodDay[i]; first != 0 {
		return first - 1
	}
	t := time.Unix(int64(day)*86400, 0).UTC()
	start := period.Of(t, w.f.d.a.Period).Start()
	first := int32(start.Unix() / 86400)
	w.periodDay[i] = first + 1
	return first
}

const (
	noRate      = -1 // no usable rate: the rows are bad, and summed per day to be told so
	decimalRate = -2 // more decimals than RateScale: summed per day, converted by the caller
)

// rate returns the daily rate of a currency for day as an integer, or
// noRate or decimalRate.
func (w *worker) rate(currency, day int32) int64 {
	k := uint64(currency)<<32 | uint64(uint32(day))
	if m, ok := w.rates[k]; ok {
		return m
	}
	m := int64(decimalRate)
	if w.f.agg.Rate != nil {
		t := time.Unix(int64(day)*86400, 0).UTC()
		v, err := w.f.agg.Rate(w.codes[currency], t, period.Of(t, w.f.d.a.Period))
		switch {
		case err != nil:
			m = noRate
		case v > 0:
			m = v
		}
	}
	if w.rates == nil {
		w.rates = map[uint64]int64{}
	}
	w.rates[k] = m
	return m
}

// growDays makes the day cache cover day.
func (w *worker) growDays(day int32) {
	lo, hi := day-400, day+400
	if w.periodDay != nil {
		lo = min(lo, w.dayBase)
		hi = max(hi, w.dayBase+int32(len(w.periodDay)))
	}
	if hi-lo > 1<<16 {
		// A file spanning centuries: start afresh around day.
		lo, hi = day-400, day+400
		w.periodDay = nil
	}
	days := make([]int32, hi-lo)
	if w.periodDay != nil {
		copy(days[w.dayBase-lo:], w.periodDay)
	}
	w.periodDay, w.dayBase = days, lo
}

// key expands a cell.
func (w *worker) key(c cell) Key {
	d := w.f.d
	host, product, currency, day := c.unpack()
	k := Key{Host: d.a.Hosts[host], Currency: d.a.Currency, Ignored: currency == ignored}
	if !k.Ignored {
		k.Product, k.ProductNum = w.f.products.name(product), product+1
	}
	if currency >= 0 {
		k.Currency = w.codes[currency]
	}
	k.Day = time.Unix(int64(day)*86400, 0).UTC()
	k.Period = period.Of(k.Day, d.a.Period)
	k.Converted = c.converted()
	return k
}

// code returns the index of a currency code, adding it when new.
func (w *worker) code(code string, byDay bool) int32 {
	for i, c := range w.codes {
		if c == code {
			return int32(i)
		}
	}
	w.codes = append(w.codes, code)
	w.byDay = append(w.byDay, byDay)
	return int32(len(w.codes) - 1)
}

// parseDay reads YYYY-MM-DD as days since 1970-01-01; false for anything
// else (a timestamp, an impossible date), which the slow path decides.
func parseDay(b []byte) (int32, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	num := func(b []byte) (int, bool) {
		n := 0
		for _, c := range b {
			if c-'0' > 9 {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(b[:4])
	m, ok2 := num(b[5:7])
	dd, ok3 := num(b[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || dd < 1 || dd > daysIn(y, m) {
		return 0, false
	}
	return int32(daysFromCivil(y, m, dd)), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil is Howard Hinnant's days_from_civil.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
