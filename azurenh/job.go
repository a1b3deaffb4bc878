package azurenh

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushwire/push"
)

// Operation names of jobs in errors.
const (
	opJob       = "azurenh: job"
	opDecodeJob = "azurenh: decode job"
)

// JobType says what an import/export job does (Standard tier).
type JobType string

// The job types the service runs.
const (
	// JobExportRegistrations writes every registration to the output container.
	JobExportRegistrations JobType = "ExportRegistrations"
	// JobImportCreateRegistrations creates the registrations of the import file.
	JobImportCreateRegistrations JobType = "ImportCreateRegistrations"
	// JobImportUpdateRegistrations updates the registrations of the import file.
	JobImportUpdateRegistrations JobType = "ImportUpdateRegistrations"
	// JobImportDeleteRegistrations deletes the registrations of the import file.
	JobImportDeleteRegistrations JobType = "ImportDeleteRegistrations"
	// JobImportUpsertRegistrations creates or updates the registrations of the import file.
	JobImportUpsertRegistrations JobType = "ImportUpsertRegistrations"
)

// Valid reports whether t is a known job type.
func (t JobType) Valid() bool {
	switch t {
	case JobExportRegistrations, JobImportCreateRegistrations, JobImportUpdateRegistrations,
		JobImportDeleteRegistrations, JobImportUpsertRegistrations:
		return true
	}
	return false
}

// IsImport reports whether t reads an import file.
func (t JobType) IsImport() bool { return t.Valid() && t != JobExportRegistrations }

// JobStatus is the state of a job. A value this package does not know is kept.
type JobStatus string

// The states of a job.
const (
	JobStarted   JobStatus = "Started"   // accepted
	JobRunning   JobStatus = "Running"   // may last hours on a large hub
	JobCompleted JobStatus = "Completed" // the output is ready
	JobFailed    JobStatus = "Failed"    // see Failure and FailuresFile
)

// Job is an import or export job of the hub (POST /HUB/jobs, GET /HUB/jobs/ID),
// in the form of the service's NotificationHubJob description. A request sets
// Type, OutputContainerURL (a blob container URL with a shared access signature
// that grants write) and, for an import, ImportFileURL; the service sets the
// rest. The URLs carry signatures: do not log them.
type Job struct {
	ID                 string
	Type               JobType
	Status             JobStatus
	Progress           float64 // percent
	OutputContainerURL string
	ImportFileURL      string
	InputProperties    map[string]string
	OutputProperties   map[string]string
	Failure            string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Done reports whether the job ended, completed or failed.
func (j Job) Done() bool { return j.Status == JobCompleted || j.Status == JobFailed }

// OutputFile returns the path of the output file in the output container
// (OutputProperties["OutputFilePath"]), or "".
func (j Job) OutputFile() string { return j.OutputProperties["OutputFilePath"] }

// FailuresFile returns the path of the file that lists what failed
// (OutputProperties["FailedFilePath"]), or "".
func (j Job) FailuresFile() string { return j.OutputProperties["FailedFilePath"] }

// Validate checks a job to submit, before any I/O: a known Type, an absolute
// OutputContainerURL, and an absolute ImportFileURL for an import (none for an
// export). The error is a *push.Error of kind push.ErrInvalidTarget (a job
// addresses the hub's registrations) with Op "azurenh: job"; it never quotes
// the URLs, whose signatures are secret.
func (j Job) Validate() error {
	switch {
	case !j.Type.Valid():
		return invalidJob("type %q is not a job type; want ExportRegistrations, ImportCreateRegistrations, ImportUpdateRegistrations, ImportDeleteRegistrations or ImportUpsertRegistrations", clipText(string(j.Type), 40))
	case !isAbsoluteURL(j.OutputContainerURL):
		return invalidJob("the output container URL is not an absolute URL")
	case j.Type.IsImport() && !isAbsoluteURL(j.ImportFileURL):
		return invalidJob("%s needs an import file URL, an absolute URL", j.Type)
	case !j.Type.IsImport() && j.ImportFileURL != "":
		return invalidJob("%s takes no import file URL", j.Type)
	}
	return nil
}

func invalidJob(format string, args ...any) error {
	return &push.Error{Op: opJob, Kind: push.ErrInvalidTarget, Detail: fmt.Sprintf(format, args...)}
}

// encodeJobRequest validates j and returns the body of a job submission (POST
// /HUB/jobs), an Atom entry whose content is a NotificationHubJob with Type,
// OutputContainerUri and ImportFileUri (the URLs as CDATA, as the SDKs write
// them) and InputProperties when set.
func encodeJobRequest(j Job) ([]byte, error) {
	if err := j.Validate(); err != nil {
		return nil, err
	}
	return encodeEntry(func(w *xmlWriter) { w.job(j, false) }, "NotificationHubJob")
}

// encodeJobEntry returns j as the service answers a submission or a read: the
// Atom entry with every field in the order of the data contract (JobId,
// Progress, Type, Status, OutputContainerUri, ImportFileUri, InputProperties,
// Failure, OutputProperties, CreatedAt, UpdatedAt), empty ones left out. It does
// not validate j. Tests that play the service answer with it.
func encodeJobEntry(j Job) ([]byte, error) {
	return encodeEntry(func(w *xmlWriter) { w.job(j, true) }, "NotificationHubJob")
}

// encodeJobFeed returns jobs as the service lists them (GET /HUB/jobs): an Atom
// feed of the entries of encodeJobEntry.
func encodeJobFeed(jobs []Job) ([]byte, error) {
	var buf bytes.Buffer
	w := newXMLWriter(&buf)
	feed := xml.Name{Space: nsAtom, Local: "feed"}
	w.start(feed)
	w.text("title", "jobs")
	for _, j := range jobs {
		w.entry("NotificationHubJob", func(w *xmlWriter) { w.job(j, true) })
	}
	w.end(feed)
	if err := w.flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// job writes the fields of j; full adds those the service sets.
func (w *xmlWriter) job(j Job, full bool) {
	if full {
		w.text("JobId", j.ID)
		if j.Progress != 0 {
			w.text("Progress", strconv.FormatFloat(j.Progress, 'f', -1, 64))
		}
	}
	w.text("Type", string(j.Type))
	if full {
		w.text("Status", string(j.Status))
	}
	w.cdataIfSet("OutputContainerUri", j.OutputContainerURL)
	w.cdataIfSet("ImportFileUri", j.ImportFileURL)
	w.properties("InputProperties", j.InputProperties)
	if full {
		w.text("Failure", j.Failure)
		w.properties("OutputProperties", j.OutputProperties)
		w.time("CreatedAt", j.CreatedAt)
		w.time("UpdatedAt", j.UpdatedAt)
	}
}

func (w *xmlWriter) cdataIfSet(name, value string) {
	if value != "" {
		w.cdata(name, value)
	}
}

// properties writes a string dictionary as the service's data contract does:
//
//	<name xmlns:d3p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays">
//	  <d3p1:KeyValueOfstringstring><d3p1:Key>k</d3p1:Key><d3p1:Value>v</d3p1:Value></d3p1:KeyValueOfstringstring>
//	</name>
//
// in key order, or nothing when m is empty.
func (w *xmlWriter) properties(name string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	el := xml.Name{Local: name}
	w.start(el, xml.Attr{Name: xml.Name{Local: "xmlns:d3p1"}, Value: nsArrays})
	pair := xml.Name{Local: "d3p1:KeyValueOfstringstring"}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.start(pair)
		w.element(k, "d3p1:Key")
		w.element(m[k], "d3p1:Value")
		w.end(pair)
	}
	w.end(el)
}

// jobXML is a NotificationHubJob on the wire, read by local names in any order.
type jobXML struct {
	JobID              string        `xml:"JobId"`
	Progress           string        `xml:"Progress"`
	Type               string        `xml:"Type"`
	Status             string        `xml:"Status"`
	OutputContainerURI string        `xml:"OutputContainerUri"`
	ImportFileURI      string        `xml:"ImportFileUri"`
	InputProperties    []keyValueXML `xml:"InputProperties>KeyValueOfstringstring"`
	Failure            string        `xml:"Failure"`
	OutputProperties   []keyValueXML `xml:"OutputProperties>KeyValueOfstringstring"`
	CreatedAt          string        `xml:"CreatedAt"`
	UpdatedAt          string        `xml:"UpdatedAt"`
}

type keyValueXML struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type jobEntryXML struct {
	Content struct {
		Job *jobXML `xml:"NotificationHubJob"`
	} `xml:"content"`
}

type jobFeedXML struct {
	Entries []jobEntryXML `xml:"entry"`
}

// decodeJob reads the answer to a job submission or read: an Atom entry whose
// content is a NotificationHubJob (a bare NotificationHubJob is accepted too).
// Elements are matched by local name in any order and namespace (the
// dictionaries' d3p1 prefix is not assumed); unknown ones are ignored; text is
// trimmed. A type or status this package does not know is kept. The error is a
// *push.Error with Op "azurenh: decode job" and no Kind.
func decodeJob(data []byte) (Job, error) {
	root, d, err := rootElement(data)
	var x *jobXML
	if err == nil {
		x, err = decodeJobRoot(d, root)
	}
	if err != nil {
		return Job{}, decodeError(opDecodeJob, err)
	}
	return x.job()
}

func decodeJobRoot(d *xml.Decoder, root xml.StartElement) (*jobXML, error) {
	switch root.Name.Local {
	case "entry":
		var e jobEntryXML
		if err := d.DecodeElement(&e, &root); err != nil {
			return nil, err
		}
		if e.Content.Job == nil {
			return nil, fmt.Errorf("the entry has no NotificationHubJob in its <content>")
		}
		return e.Content.Job, nil
	case "NotificationHubJob":
		x := new(jobXML)
		return x, d.DecodeElement(x, &root)
	}
	return nil, fmt.Errorf("the root element is <%s>, not an Atom <entry>", root.Name.Local)
}

// decodeJobFeed reads the list of the hub's jobs: an Atom feed of entries, each
// read as decodeJob reads one. A feed without entries gives nil.
func decodeJobFeed(data []byte) ([]Job, error) {
	root, d, err := rootElement(data)
	if err == nil && root.Name.Local != "feed" {
		err = fmt.Errorf("the root element is <%s>, not an Atom <feed>", root.Name.Local)
	}
	var feed jobFeedXML
	if err == nil {
		err = d.DecodeElement(&feed, &root)
	}
	if err != nil {
		return nil, decodeError(opDecodeJob, err)
	}
	var jobs []Job
	for i, e := range feed.Entries {
		if e.Content.Job == nil {
			return nil, decodeError(opDecodeJob, fmt.Errorf("entry %d has no NotificationHubJob in its <content>", i))
		}
		j, err := e.Content.Job.job()
		if err != nil {
			return nil, decodeError(opDecodeJob, fmt.Errorf("entry %d: %w", i, decodeCause(err)))
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// job turns a decoded NotificationHubJob into a Job.
func (x *jobXML) job() (Job, error) {
	j := Job{
		ID: strings.TrimSpace(x.JobID), Type: JobType(strings.TrimSpace(x.Type)),
		Status: JobStatus(strings.TrimSpace(x.Status)), Failure: strings.TrimSpace(x.Failure),
		OutputContainerURL: strings.TrimSpace(x.OutputContainerURI), ImportFileURL: strings.TrimSpace(x.ImportFileURI),
		InputProperties: propertyMap(x.InputProperties), OutputProperties: propertyMap(x.OutputProperties),
	}
	if s := strings.TrimSpace(x.Progress); s != "" {
		p, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(p) || math.IsInf(p, 0) {
			return Job{}, decodeError(opDecodeJob, fmt.Errorf("<Progress> %q is not a number", clipText(s, 20)))
		}
		j.Progress = p
	}
	if err := parseOptionalTime("CreatedAt", x.CreatedAt, &j.CreatedAt); err != nil {
		return Job{}, decodeError(opDecodeJob, err)
	}
	if err := parseOptionalTime("UpdatedAt", x.UpdatedAt, &j.UpdatedAt); err != nil {
		return Job{}, decodeError(opDecodeJob, err)
	}
	return j, nil
}

// propertyMap turns decoded key-value pairs into a map, trimming both; nil when
// there is none.
func propertyMap(kvs []keyValueXML) map[string]string {
	if len(kvs) == 0 {
		return nil
	}
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		m[strings.TrimSpace(kv.Key)] = strings.TrimSpace(kv.Value)
	}
	return m
}
