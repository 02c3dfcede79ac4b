"""Certificates of participation and of appreciation: designed per programme or office, issued once (in bulk on
the job queue), printed as Hindi A4 PDFs, and verifiable by anyone from their signed QR code, even offline."""
