package glomers_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/glomers/glomers"

// Solutions are what learners read and copy: they import nothing from this
// repository, only the Maelstrom library and the standard library. Their
// tests may use the shared helper, solutions/soltest, which follows the
// same rule.
func TestSolutionsImportNothingFromTheRepository(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("solutions", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		isTest := strings.HasSuffix(path, "_test.go")
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if !strings.HasPrefix(p, module+"/") && p != module {
				continue
			}
			own := module + "/" + filepath.ToSlash(filepath.Dir(path))
			if p == own || (isTest && p == module+"/solutions/soltest") {
				continue
			}
			t.Errorf("%s imports %s", path, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
