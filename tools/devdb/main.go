// Command devdb is the project's embedded database for development, tests and CI:
// FerretDB (MongoDB wire protocol) on 127.0.0.1, stored in the machine's PostgreSQL
// when it answers, otherwise in SQLite files in a folder.
//
// We embed FerretDB as a library instead of `go install`ing its command because
// the v1.24.2 command panics at start (upstream issue #2982); a main module of
// our own avoids it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/jackc/pgx/v5"
)

func main() {
	port := flag.Int("port", 27018, "TCP port to listen on (127.0.0.1 only)")
	storage := flag.String("storage", "auto", "auto | postgresql | sqlite")
	pgURL := flag.String("postgresql-url", envOr("DEVDB_POSTGRESQL_URL", "postgres://postgres@127.0.0.1:5432/community_dev"), "PostgreSQL URL; the database is created when missing")
	sqliteDir := flag.String("sqlite-dir", envOr("DEVDB_SQLITE_DIR", ".data/sqlite"), "folder for SQLite storage (fallback)")
	logLevel := flag.String("log-level", "error", "debug | info | warn | error | off")
	flag.Parse()

	level := slog.LevelError
	if *logLevel == "off" {
		level = slog.Level(100) // above every level FerretDB uses
	} else if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cfg := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: fmt.Sprintf("127.0.0.1:%d", *port)},
		Logger:   logger,
	}

	switch chosen := chooseStorage(ctx, *storage, *pgURL); chosen {
	case "postgresql":
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL = *pgURL
		fmt.Printf("devdb: storage postgresql %s\n", redact(*pgURL))
	case "sqlite":
		dir, err := filepath.Abs(*sqliteDir)
		if err != nil {
			fail("sqlite folder: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail("cannot create sqlite folder %s: %v", dir, err)
		}
		cfg.Handler = "sqlite"
		// FerretDB wants a directory URL that ends with a slash.
		cfg.SQLiteURL = "file:" + strings.TrimSuffix(dir, "/") + "/"
		fmt.Printf("devdb: storage sqlite %s (PostgreSQL did not answer; queries scan, so this is slow)\n", dir)
	default:
		fail("unknown storage %q", chosen)
	}

	// Embedded builds report ferretdbVersion "unknown" (the version is normally set
	// by linker flags); give buildInfo the module version so clients can show it.
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/FerretDB/FerretDB" {
				version.Get().Version = dep.Version
			}
		}
	}

	f, err := ferretdb.New(cfg)
	if err != nil {
		fail("cannot start FerretDB: %v", err)
	}

	// Wait until the port accepts connections before saying "ready", so launchers
	// can start the API on that line alone.
	go func() {
		addr := cfg.Listener.TCP
		for i := 0; i < 200; i++ {
			if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
				c.Close()
				fmt.Printf("devdb: ready mongodb://%s/\n", addr)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	if err := f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fail("FerretDB stopped: %v", err)
	}
}

// chooseStorage picks PostgreSQL when it answers (and creates the database if it
// is missing), SQLite otherwise. An explicit choice is honoured or fails loudly.
func chooseStorage(ctx context.Context, want, pgURL string) string {
	if want == "sqlite" {
		return "sqlite"
	}
	err := ensurePostgresDatabase(ctx, pgURL)
	if err == nil {
		return "postgresql"
	}
	if want == "postgresql" {
		fail("PostgreSQL at %s is not usable: %v", redact(pgURL), err)
	}
	fmt.Fprintf(os.Stderr, "devdb: PostgreSQL not usable (%v); falling back to SQLite\n", err)
	return "sqlite"
}

func ensurePostgresDatabase(ctx context.Context, pgURL string) error {
	u, err := url.Parse(pgURL)
	if err != nil {
		return err
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	if dbName == "" {
		return errors.New("the URL names no database")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	// Connect to the maintenance database to check and create ours.
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", dbName).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{dbName}.Sanitize())
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) && pgErr.SQLState() == "42P04" {
		return nil // created by a concurrent start
	}
	return err
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "devdb: "+format+"\n", args...)
	os.Exit(1)
}
