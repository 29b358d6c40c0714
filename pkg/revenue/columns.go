package revenue

// rejectsColumns are the leading columns of a --rejects file. A rejects
// file is the input's own header behind them, so that fixed rows can be
// fed back as they are: the reader skips them without a warning.
var rejectsColumns = [3]string{"file", "line", "reason"}

// isRejectsHeader reports whether a header starts as a rejects file does.
func isRejectsHeader(keys []string) bool {
	if len(keys) < len(rejectsColumns) {
		return false
	}
	for i, c := range rejectsColumns {
		if keys[i] != c {
			return false
		}
	}
	return true
}
