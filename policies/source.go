package policies

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
)

// The default policies and their Rego tests.
//
//go:embed rego/*.rego
var embedded embed.FS

// maxFileSize bounds one policy file; policies are small tables and rules.
const maxFileSize = 1 << 20

// file is one .rego file of a policy set.
type file struct {
	Name string
	Src  []byte
}

// isTest tells a Rego test file (its test_ rules run on load) from a policy file.
func (f file) isTest() bool { return strings.HasSuffix(f.Name, "_test.rego") }

// readFiles returns the *.rego files of dir, or the embedded defaults when dir is "", sorted by
// name. Only the directory itself is read, not its subdirectories.
func readFiles(dir string) ([]file, error) {
	var fsys fs.FS
	if dir == "" {
		sub, err := fs.Sub(embedded, "rego")
		if err != nil {
			return nil, newError(LoadFailed, "", err)
		}
		fsys = sub
	} else {
		fsys = os.DirFS(dir)
	}
	files, err := readFS(fsys)
	if err != nil {
		return nil, newError(LoadFailed, "", fmt.Errorf("%s: %w", sourceName(dir), err))
	}
	if len(files) == 0 {
		return nil, errorf(LoadFailed, "", "%s: no .rego files", sourceName(dir))
	}
	return files, nil
}

func readFS(fsys fs.FS) ([]file, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var files []file
	for _, ent := range entries {
		if ent.IsDir() || !strings.HasSuffix(ent.Name(), ".rego") {
			continue
		}
		src, err := readLimited(fsys, ent.Name())
		if err != nil {
			return nil, err
		}
		files = append(files, file{Name: ent.Name(), Src: src})
	}
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.Name, b.Name) })
	return files, nil
}

func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxFileSize)
	}
	return src, nil
}

// revision identifies a set of files: the first 16 hex digits of a SHA-256 over their names
// and contents. Run compares revisions to see whether the files changed.
func revision(files []file) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d:%s\n%d:", len(f.Name), f.Name, len(f.Src))
		h.Write(f.Src)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func sourceName(dir string) string {
	if dir == "" {
		return "embedded policies"
	}
	return dir
}
