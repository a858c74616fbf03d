"""Styrdok inside other tools: a LangChain retriever (`langchain`) and MCP tools (`mcp`), both over assistant.api."""
