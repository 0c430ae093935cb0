"""The auditor (toy): logs every completed job."""
