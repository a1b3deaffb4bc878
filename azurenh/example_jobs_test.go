package azurenh_test

import (
	"context"
	"fmt"
	"time"

	"github.com/pushwire/push/azurenh"
	"github.com/pushwire/push/azurenh/nhtest"
)

// An export job writes every registration to a blob container the caller
// owns; WaitJob polls it until it is done. The container URL carries a
// signature that grants write: keep it out of logs.
func ExampleClient_WaitJob() {
	srv := nhtest.NewServer()
	defer srv.Close()
	client, err := azurenh.New(srv.ConnectionString(), srv.Hub(), azurenh.WithHTTPClient(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()

	job, err := client.SubmitJob(ctx, azurenh.Job{
		Type:               azurenh.JobExportRegistrations,
		OutputContainerURL: "https://contoso.blob.core.windows.net/export?sv=2020-08-04&sr=c&sig=c2lnbmF0dXJl&sp=rwl",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(job.Type, job.Status)

	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	job, err = client.WaitJob(ctx, job.ID, 10*time.Millisecond) // a real job takes minutes: poll every few seconds
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(job.Status, job.Progress, job.OutputFile() != "")
	// Output:
	// ExportRegistrations Started
	// Completed 100 true
}
