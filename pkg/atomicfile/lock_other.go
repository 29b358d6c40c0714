//go:build !unix

package atomicfile

import "context"

// LockDir does nothing where flock is missing: each file is still
// replaced atomically, but two runs at once may mix their sets.
func LockDir(ctx context.Context, dir string) (unlock func(), err error) {
	return func() {}, ctx.Err()
}
