package mongostore

import (
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/page"
)

// afterCursor returns the filter of the documents that come after c in a
// list sorted by timeField and then idField, both descending when desc and
// both ascending otherwise. The list's query must sort the same way.
func afterCursor(c page.Cursor, timeField, idField string, desc bool) bson.E {
	op := "$gt"
	if desc {
		op = "$lt"
	}
	return bson.E{Key: "$or", Value: bson.A{
		bson.D{{Key: timeField, Value: bson.D{{Key: op, Value: c.Time}}}},
		bson.D{
			{Key: timeField, Value: c.Time},
			{Key: idField, Value: bson.D{{Key: op, Value: c.ID}}},
		},
	}}
}

// maxBatch bounds the batch sizes that firstBatch asks for. FerretDB makes
// room for a whole batch before it reads one, so it is not unlimited; a
// read of more documents takes a getMore for each further maxBatch.
const maxBatch = 10_000

// firstBatch returns the batch size that brings up to n documents in the
// server's first reply, so that reading them takes one round trip instead
// of a find and then getMores. Without it both MongoDB and FerretDB answer
// with 101 documents first.
//
// It is one more than n: FerretDB keeps a cursor open when a batch comes
// back exactly full, and the driver would then ask for more.
func firstBatch(n int) int32 {
	return int32(min(max(n, 0), maxBatch) + 1)
}

// oneBatch returns find options that bring up to n documents, such as those
// of n ids, in the server's first reply.
func oneBatch(n int) *options.FindOptionsBuilder {
	return options.Find().SetBatchSize(firstBatch(n))
}
