package ingest

import (
	"fmt"
	"time"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// pqKind is how a Parquet column's values are written as text.
type pqKind int

const (
	pqText pqKind = iota
	pqBool
	pqInt
	pqUint
	pqDecimal
	pqDate
	pqTimestamp // an INT64 count of unit since the epoch
	pqInt96     // a legacy INT96 timestamp
	pqFloat
)

type pqColumn struct {
	name  string
	kind  pqKind
	scale int   // pqDecimal
	unit  int64 // pqTimestamp: units per day
}

// pqColumns reads a flat schema's leaf columns.
func pqColumns(md *format.FileMetaData) ([]pqColumn, error) {
	if len(md.Schema) < 2 {
		return nil, fmt.Errorf("the Parquet file has no columns")
	}
	els := md.Schema[1:]
	cols := make([]pqColumn, 0, len(els))
	for i := range els {
		el := &els[i]
		if n, ok := el.NumChildren.Get(); ok && n > 0 {
			return nil, fmt.Errorf("column %q is nested (a group): only flat Parquet files are read", el.Name)
		}
		if rep, ok := el.RepetitionType.Get(); ok && rep == format.Repeated {
			return nil, fmt.Errorf("column %q is repeated: only flat Parquet files are read", el.Name)
		}
		c := pqColumn{name: el.Name}
		typ, _ := el.Type.Get()
		conv, hasConv := el.ConvertedType.Get()
		switch lt := el.LogicalType.Value.(type) {
		case *format.DecimalType:
			c.kind, c.scale = pqDecimal, int(lt.Scale)
		case *format.DateType:
			c.kind = pqDate
		case *format.TimestampType:
			c.kind = pqTimestamp
			c.unit = int64(24*time.Hour) / int64(lt.Unit.Value.Duration())
		case *format.IntType:
			c.kind = pqInt
			if !lt.IsSigned {
				c.kind = pqUint // any width: an INT32 holds UINT_32 values as their bits
			}
		default:
			switch {
			case hasConv && conv == deprecated.Decimal:
				s, _ := el.Scale.Get()
				c.kind, c.scale = pqDecimal, int(s)
			case hasConv && conv == deprecated.Date:
				c.kind = pqDate
			case hasConv && conv == deprecated.TimestampMillis:
				c.kind, c.unit = pqTimestamp, int64(24*time.Hour/time.Millisecond)
			case hasConv && conv == deprecated.TimestampMicros:
				c.kind, c.unit = pqTimestamp, int64(24*time.Hour/time.Microsecond)
			case hasConv && (conv == deprecated.Uint8 || conv == deprecated.Uint16 ||
				conv == deprecated.Uint32 || conv == deprecated.Uint64):
				c.kind = pqUint
			default:
				switch typ {
				case format.Boolean:
					c.kind = pqBool
				case format.Int32, format.Int64:
					c.kind = pqInt
				case format.Int96:
					c.kind = pqInt96
				case format.Float, format.Double:
					c.kind = pqFloat
				case format.ByteArray, format.FixedLenByteArray:
					c.kind = pqText
				default:
					return nil, fmt.Errorf("column %q: Parquet type %v is not read", el.Name, typ)
				}
			}
		}
		cols = append(cols, c)
	}
	return cols, nil
}
