"""Adapters the tests name in ISTOK_SUPPORT_ADAPTER."""

from istok_support.adapter import DefaultSupportAdapter, Reply


class BrokenMailAdapter(DefaultSupportAdapter):
    def notify_staff(self, conversation, reason):
        raise ConnectionRefusedError("the mail server is away")


class CodeFlowAdapter(DefaultSupportAdapter):
    """A flow built in code, and a branch answered in code."""

    def get_flow_data(self):
        return {
            **super().get_flow_data(),
            "greeting": "Built in code",
            "branches": [{"code": "quote", "label": "A quote", "answer": "unused"}],
        }

    def answer_branch(self, conversation, branch, flow):
        if branch.code == "quote":
            return Reply(f"A quote for user {conversation.customer_id}")
        return super().answer_branch(conversation, branch, flow)


class NotAnAdapter:
    pass
