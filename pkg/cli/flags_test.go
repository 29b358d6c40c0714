package cli_test

import "flag"

var updateScripts = flag.Bool("update", false, "rewrite the expected output in testdata/script")
