// The River client behind a Queue, with its transaction type hidden: the
// same Queue API over SQLite (*sql.Tx) and PostgreSQL (pgx.Tx).

package durable

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// backend is what a Queue needs of a River client, whatever its driver.
type backend interface {
	insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	insertManyTx(ctx context.Context, tx any, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	start(ctx context.Context) error
	stop(ctx context.Context) error
	cancel(ctx context.Context, id int64) (*rivertype.JobRow, error)
	get(ctx context.Context, id int64) (*rivertype.JobRow, error)
}

// client adapts a *river.Client of one transaction type.
type client[TTx any] struct {
	c      *river.Client[TTx]
	txName string // the transaction type InsertTx takes, for its error
}

func (b *client[TTx]) insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return b.c.InsertMany(ctx, params)
}

func (b *client[TTx]) insertManyTx(ctx context.Context, tx any, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	t, ok := tx.(TTx)
	if !ok {
		return nil, fmt.Errorf("durable: InsertTx on this queue takes a %s, not %T", b.txName, tx)
	}
	return b.c.InsertManyTx(ctx, t, params)
}

func (b *client[TTx]) start(ctx context.Context) error { return b.c.Start(ctx) }
func (b *client[TTx]) stop(ctx context.Context) error  { return b.c.Stop(ctx) }

func (b *client[TTx]) cancel(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return b.c.JobCancel(ctx, id)
}

func (b *client[TTx]) get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return b.c.JobGet(ctx, id)
}
